"""The composition root: the one place that turns settings into live objects.

The CLI, the web app and the Prefect flows all start here; nothing else
connects to a database or reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lokflow.secret_keys import file_key
from lokflow.settings import Settings, SettingsError
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
    key: bytes | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today's date where the plans live (Europe/Stockholm by default)."""
        return self.clock().astimezone(self.settings.tz).date()

    def secret(self) -> bytes:
        """The key that signs forms: from settings, else a random one kept in home
        (created once, atomically; a weak one is refused: see secret_keys)."""
        if self.key is None:
            self.key = signing_key(self.settings)
        return self.key

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = True
) -> App:
    settings = settings or Settings()
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(f"LOKFLOW_HOME={settings.home}: cannot create the folder "
                            f"({error.strerror})") from None
    key = signing_key(settings)  # a missing key is created now; a weak one stops here
    engine = make_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine)
    return App(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or system_clock,
        key=key,
    )


def signing_key(settings: Settings) -> bytes:
    return settings.secret_key.encode() if settings.secret_key else file_key(settings.home)
