"""Shared fixtures: a settings object on a temporary home, a fixed clock, and
an app bootstrapped on a real SQLite database through the migrations.

Servers are started once, on first use, and shared: PostgreSQL by every
process of the run (tests/support/postgres.py), Prefect's test harness and
the SMTP server by the tests of one process. Under pytest-xdist
(`make test`) the order and grouping hooks at the end of this file keep the
tests that share something expensive on one worker and start the longest
first."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="lokflow-test-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
for _leak in ("PREFECT_API_URL", "LOKFLOW_DATABASE_URL", "LOKFLOW_SMTP_URL"):
    os.environ.pop(_leak, None)
# An xdist worker starts with COLUMNS=80 and LINES=24 that GNU readline exported
# in it, which narrows the CLI's tables: every process of the run gets the
# terminal size variables of the process that started the run.
for _size in ("COLUMNS", "LINES"):
    _started_with = os.environ.setdefault(f"PYTEST_LOKFLOW_{_size}", os.environ.get(_size, "-"))
    if _started_with == "-":
        os.environ.pop(_size, None)
    else:
        os.environ[_size] = _started_with

from lokflow.bootstrap import App, FixedClock, bootstrap  # noqa: E402
from lokflow.settings import Settings, bundled_plans_dir  # noqa: E402
from tests.support.postgres import (  # noqa: E402
    PostgresCluster,
    shared_cluster,
    stop_shared_cluster,
)
from tests.support.shared_runs import close_run_folder, open_run_folder  # noqa: E402
from tests.support.smtp_server import SmtpServer  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
PLANS = bundled_plans_dir()
_OWN_RUN_FOLDER: list[bool] = []


def pytest_configure(config: pytest.Config) -> None:
    """The run's shared folder: made by the first process, inherited by xdist workers."""
    _OWN_RUN_FOLDER.append(open_run_folder())


def pytest_unconfigure(config: pytest.Config) -> None:
    """The process that made the run's folder stops the shared servers and removes it."""
    if _OWN_RUN_FOLDER and _OWN_RUN_FOLDER.pop():
        try:
            stop_shared_cluster()
        finally:
            close_run_folder()


@pytest.fixture(scope="session")
def _migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest schema, made once per process:
    each test's home starts from a copy instead of running every migration
    again (0.2 s a test). Migrations from scratch have tests of their own."""
    home = tmp_path_factory.mktemp("migrated")
    bootstrap(Settings(home=home, database_url="", plans_dir=PLANS,
                       _env_file=None)).close()  # type: ignore[call-arg]
    return home / "lokflow.db"


@pytest.fixture
def settings(tmp_path: Path, _migrated_database: Path) -> Settings:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)  # pg_settings may share it
    shutil.copyfile(_migrated_database, home / "lokflow.db")
    return Settings(home=home, database_url="", plans_dir=PLANS, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2023, 1, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[App]:
    application = bootstrap(settings, clock=clock)
    yield application
    application.close()


@pytest.fixture(scope="session")
def _smtp_for_this_process() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_for_this_process: SmtpServer) -> SmtpServer:
    """A real SMTP server on 127.0.0.1, started once per process; each test gets
    it empty, with no faults set, and running."""
    return _smtp_for_this_process.reset()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's own test harness: a real temporary server, once per session
    (its tests share one xdist worker: see `pytest_collection_modifyitems`)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def postgres_cluster() -> PostgresCluster:
    """One PostgreSQL server for the whole run (Debian's packages, 127.0.0.1),
    shared by every xdist worker; stopped when the run ends."""
    return shared_cluster()


@pytest.fixture
def pg_settings(postgres_cluster: PostgresCluster, tmp_path: Path,
                request: pytest.FixtureRequest) -> Settings:
    url = postgres_cluster.create_database(database_name("lokflow", request.node))
    return Settings(home=tmp_path / "home", database_url=url, plans_dir=PLANS,
                    _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def either_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test's settings on SQLite, then on a PostgreSQL database of its own:
    for tests that must hold on both."""
    return settings if request.param == "sqlite" else request.getfixturevalue("pg_settings")


def database_name(prefix: str, node: pytest.Item) -> str:
    """A database of its own for each test (parameters included): the run's
    processes share one PostgreSQL server."""
    readable = "".join(c if c.isalnum() else "_" for c in node.name)[:32].lower()
    return f"{prefix}_{readable}_{hashlib.sha1(node.nodeid.encode()).hexdigest()[:8]}"


# -- Order and groups for pytest-xdist (`--dist loadgroup`) ------------------

# Fixtures that start something for a whole session: their tests go to one worker.
SESSION_GROUPS = {"prefect_harness": "prefect-harness"}


def _group(item: pytest.Item) -> str | None:
    """The xdist group of a test: one per expensive session fixture it uses,
    else its module when the module builds something once for all its tests
    (a module-scoped fixture), else none (the test may go to any worker)."""
    names = getattr(item, "fixturenames", ())
    for fixture, group in SESSION_GROUPS.items():
        if fixture in names:
            return group
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info is not None else ()
    if any(d[-1].scope in ("module", "package", "class") for d in definitions):
        return item.nodeid.split("::")[0]
    return None


def _rank(item: pytest.Item) -> int:
    """Longest first: whole systems (Prefect server and workers), then the other
    end-to-end tests, then groups that build something, then the rest."""
    path = item.nodeid.split("::")[0]
    if item.get_closest_marker("prefect_server"):
        return 0
    if path.startswith("tests/e2e/"):
        return 1
    if item.get_closest_marker("xdist_group"):
        return 2
    return 3 if path.startswith(("tests/attack/", "tests/integration/")) else 4


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        group = _group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=_rank)  # stable: the order within a rank is the files' order
