"""The composition root: the one place that turns settings into live objects.

The CLI, the web app and the Prefect flows all start here; nothing else
connects to a database or reads the environment.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lokflow.feeds.cache import FeedCache
from lokflow.settings import Settings
from lokflow.store.database import make_engine, session_factory, upgrade

if TYPE_CHECKING:
    from lokflow.delivery.sender import SendReport
    from lokflow.delivery.transports import Transport

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class FixedClock:
    """A clock that says what it is told: simulations, benchmarks and tests."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    feed_cache: FeedCache = field(default_factory=FeedCache)

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

    def transport_factory(self) -> Callable[[], Transport]:
        """Where mail goes: the SMTP server when configured, else the maildir."""
        from lokflow.delivery.transports import MaildirTransport, SmtpSettings, SmtpTransport

        if not self.settings.smtp_url:
            maildir = self.settings.maildir
            return lambda: MaildirTransport(maildir)
        smtp = SmtpSettings.from_url(self.settings.smtp_url)
        return lambda: SmtpTransport(smtp)

    async def send_queued(self, worker: str = "sender") -> SendReport:
        """Deliver every queued message now (the step each flow ends with)."""
        from lokflow.delivery.sender import OutboxSender

        return await OutboxSender(self, self.transport_factory(), worker=worker).run()

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


_process_apps: dict[str, App] = {}


def app_for_this_process() -> App:
    """The app of a Prefect flow run: built from the worker's environment once
    per process and database, then reused by every flow the process runs."""
    settings = Settings()
    key = f"{settings.home}|{settings.resolved_database_url}"
    if key not in _process_apps:
        _process_apps[key] = bootstrap(settings)
    return _process_apps[key]
