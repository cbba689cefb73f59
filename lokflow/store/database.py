"""Engines, sessions and schema upgrades for SQLite and PostgreSQL.

Writes and reads take different paths. A write unit of work (`sessions`,
`transaction`) starts with SQLite's `BEGIN IMMEDIATE`: it takes the write
lock first, so two read-then-write units queue instead of deadlocking on a
lock upgrade. A read (`read_session_factory`, `read_transaction`) starts a
deferred `BEGIN` on its own connections, which are `PRAGMA query_only`: in
WAL mode it reads one consistent snapshot and never waits for a writer, and
it can never upgrade to a write. The few small writes a read owes (a token's
"last used" stamp) go through `write_if_free`, which gives up rather than
wait. On PostgreSQL a read is `SET TRANSACTION READ ONLY` on the same pool,
and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from lokflow.store.schema_version import at_head

BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "lokflow.read_only"
AFTER_READ = "lokflow.after_read"
PG_LOCK_NOT_AVAILABLE = "55P03"
SQLITE_BUSY = 5

DeferredWrite = Callable[[Session], None]


class ReadOnlySession(RuntimeError):
    """A read session was asked to write: do it in a write unit of work."""


class Busy(RuntimeError):
    """Another writer holds the lock; a write that must never wait was skipped."""


def make_engine(url: str) -> Engine:
    """The engine for write units of work (SQLite: foreign keys, WAL, BEGIN IMMEDIATE)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_read_engine(engine: Engine) -> Engine:
    """The engine for reads of the same database.

    SQLite: its own pool of `query_only` connections that begin deferred, so a
    read neither waits for the write lock nor queues behind writers for a
    pooled connection. PostgreSQL: the same pool, each transaction READ ONLY.
    """
    if engine.dialect.name != "sqlite":
        shared = engine.execution_options(lokflow_read_only=True)
        event.listen(shared, "begin", _read_only_transaction)
        return shared
    path = engine.url.database
    if not path or path == ":memory:":
        raise ValueError("reads need a database file: an in-memory SQLite is per connection")
    reads = create_engine(engine.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(reads, "connect", _sqlite_read_pragmas)
    event.listen(reads, "begin", _sqlite_begin_deferred)
    return reads


def make_nowait_engine(engine: Engine) -> Engine:
    """The engine for small writes that must never wait (`write_if_free`).

    SQLite: a few connections of their own with no busy timeout, so BEGIN
    IMMEDIATE fails at once when the lock is taken, and a pool that never
    waits for a free connection. PostgreSQL: the write engine itself (the
    transaction sets a short lock timeout).
    """
    if engine.dialect.name != "sqlite":
        return engine
    nowait = create_engine(engine.url, connect_args={"timeout": 0}, pool_size=1,
                           max_overflow=3, pool_timeout=0)
    event.listen(nowait, "connect", _sqlite_nowait_pragmas)
    event.listen(nowait, "begin", _sqlite_begin_immediate)
    return nowait


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event drive BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_read_pragmas(dbapi_connection: Any, record: Any) -> None:
    """No journal_mode here: setting it can wait for a lock, and WAL is kept in
    the file by the write engine's first connection."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _sqlite_nowait_pragmas(dbapi_connection: Any, record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock at BEGIN, so two writers queue instead of deadlocking."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(connection: Any) -> None:
    """A snapshot from the first read on; in WAL mode it never waits for a writer."""
    connection.exec_driver_sql("BEGIN")


def _read_only_transaction(connection: Any) -> None:
    connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_session_factory(read_engine: Engine) -> sessionmaker[Session]:
    """Sessions that read and refuse to flush anything (the database refuses too)."""
    factory = sessionmaker(read_engine, expire_on_commit=False, info={READ_ONLY: True})
    event.listen(factory, "before_flush", _refuse_flush)
    return factory


def _refuse_flush(session: Session, context: Any, instances: Any) -> None:
    changed = [o for o in session.dirty if session.is_modified(o)]
    if session.new or session.deleted or changed:
        raise ReadOnlySession("a read session cannot write; use a write unit of work")


def is_read_only(session: Session) -> bool:
    return bool(session.info.get(READ_ONLY))


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with sessions.begin() as session:
        yield session


def after_read(session: Session, write: DeferredWrite) -> None:
    """A small write a read owes (a "last used" stamp): in a read session it
    runs after the read if no other writer holds the lock, else it is dropped;
    in a write session it runs at once."""
    if is_read_only(session):
        session.info.setdefault(AFTER_READ, []).append(write)
    else:
        write(session)


@contextmanager
def read_transaction(reads: sessionmaker[Session], nowait_engine: Engine) -> Iterator[Session]:
    """One read: a snapshot that never waits for the write lock. The writes it
    owes (`after_read`) follow in one short write that never waits either."""
    with reads() as session:
        yield session
        owed: list[DeferredWrite] = session.info.pop(AFTER_READ, [])
    if owed:
        try:
            with write_if_free(nowait_engine) as writer:
                for write in owed:
                    write(writer)
        except Busy:
            pass


@contextmanager
def write_if_free(nowait_engine: Engine) -> Iterator[Session]:
    """A short write unit of work on `make_nowait_engine`'s engine: it raises
    Busy at once instead of waiting (for SQLite's write lock, for a pooled
    connection, for a PostgreSQL row lock)."""
    try:
        with Session(nowait_engine, expire_on_commit=False) as session, session.begin():
            if nowait_engine.dialect.name != "sqlite":
                session.execute(text("SET LOCAL lock_timeout = '100ms'"))
            yield session
    except PoolTimeout as error:
        raise Busy("no free connection for a write that must not wait") from error
    except OperationalError as error:
        if not _is_busy(error):
            raise
        raise Busy(str(error.orig)) from error


def _is_busy(error: OperationalError) -> bool:
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF == SQLITE_BUSY:  # also its extended codes
        return True
    return getattr(original, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE


def upgrade(engine: Engine, read_engine: Engine | None = None) -> None:
    """Bring the schema to the newest revision. The usual case, a database that
    is there already, is answered without importing Alembic (`schema_version`)."""
    if at_head(read_engine or engine):
        return
    from lokflow.store.migrate import migrate  # Alembic: only for a new or older database

    migrate(engine, read_engine)


def __getattr__(name: str) -> Any:
    """`alembic_config` and `migrate` live in store/migrate.py, which imports
    Alembic: loaded only when asked for (older imports still find them here)."""
    if name in ("alembic_config", "migrate"):
        from lokflow.store import migrate

        return getattr(migrate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
