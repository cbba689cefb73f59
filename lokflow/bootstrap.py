"""The composition root: the one place that turns settings into live objects.

The CLI, the web app and the Prefect flows all start here; nothing else
connects to a database or reads the environment.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lokflow.settings import Settings
from lokflow.store.database import make_engine, session_factory, upgrade

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today's date where the plans live (Europe/Stockholm by default)."""
        return self.clock().astimezone(self.settings.tz).date()

    def secret(self) -> bytes:
        """The key that signs forms: from settings, else a random one kept in home."""
        if self.settings.secret_key:
            return self.settings.secret_key.encode()
        path = self.settings.home / "secret_key"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = True
) -> App:
    settings = settings or Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine)
    return App(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or system_clock,
    )
