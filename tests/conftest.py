"""Shared fixtures: a settings object on a temporary home, a fixed clock, and
an app bootstrapped on a real SQLite database through the migrations."""

from __future__ import annotations

import os
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

from lokflow.bootstrap import App, FixedClock, bootstrap  # noqa: E402
from lokflow.settings import Settings, bundled_plans_dir  # noqa: E402
from tests.support.postgres import PostgresCluster  # noqa: E402
from tests.support.smtp_server import SmtpServer  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
PLANS = bundled_plans_dir()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2023, 1, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[App]:
    application = bootstrap(settings, clock=clock)
    yield application
    application.close()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's own test harness: a real temporary server, once per session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One PostgreSQL server for the session (Debian's packages, 127.0.0.1)."""
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_settings(postgres_cluster: PostgresCluster, tmp_path: Path,
                request: pytest.FixtureRequest) -> Settings:
    name = "lokflow_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:40]
    url = postgres_cluster.create_database(name.lower())
    return Settings(home=tmp_path / "home", database_url=url, plans_dir=PLANS,
                    _env_file=None)  # type: ignore[call-arg]
