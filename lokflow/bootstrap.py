"""The composition root: the one place that turns settings into live objects.

The CLI, the web app and the Prefect flows all start here; nothing else
connects to a database or reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lokflow.access.secret_keys import file_key
from lokflow.feeds.cache import FeedCache
from lokflow.public.cache import PublicCache
from lokflow.reporting.line_cache import LineCache
from lokflow.settings import Settings, SettingsError
from lokflow.store.database import (
    make_engine,
    make_nowait_engine,
    make_read_engine,
    read_session_factory,
    read_transaction,
    session_factory,
    upgrade,
    write_if_free,
)

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
    """Write units of work: SQLite's BEGIN IMMEDIATE, so writers queue."""
    clock: Clock
    feed_cache: FeedCache = field(default_factory=FeedCache)
    line_cache: LineCache = field(default_factory=LineCache)
    """The coordinator dashboards' activity lines, recomputed per changed plan."""
    public_cache: PublicCache = field(default_factory=PublicCache)  # public plan pages
    read_engine: Engine | None = None
    nowait_engine: Engine | None = None
    reads: sessionmaker[Session] = field(init=False)
    """Read-only sessions that never wait for the write lock; use `read()`."""
    key: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.engine is None:  # an App without a database (pure date tests)
            return
        self.read_engine = self.read_engine or make_read_engine(self.engine)
        self.nowait_engine = self.nowait_engine or make_nowait_engine(self.engine)
        self.reads = read_session_factory(self.read_engine)

    def read(self) -> AbstractContextManager[Session]:
        """One read-only unit of work (GET pages, feeds, API reads, CLI listings)."""
        assert self.nowait_engine is not None
        return read_transaction(self.reads, self.nowait_engine)

    def write_if_free(self) -> AbstractContextManager[Session]:
        """A short write that raises `Busy` at once rather than wait for the lock."""
        assert self.nowait_engine is not None
        return write_if_free(self.nowait_engine)

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
        for extra in (self.read_engine, self.nowait_engine):
            if extra is not None and extra.pool is not self.engine.pool:
                extra.dispose()
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
    read_engine = make_read_engine(engine)
    if migrate:
        upgrade(engine, read_engine)
    return App(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or system_clock,
        read_engine=read_engine,
        key=key,
    )


def signing_key(settings: Settings) -> bytes:
    return settings.secret_key.encode() if settings.secret_key else file_key(settings.home)


_process_apps: dict[str, App] = {}


def app_for_this_process() -> App:
    """The app of a Prefect flow run: built from the worker's environment once
    per process and database, then reused by every flow the process runs."""
    settings = Settings()
    key = f"{settings.home}|{settings.resolved_database_url}"
    if key not in _process_apps:
        _process_apps[key] = bootstrap(settings)
    return _process_apps[key]
