"""Shared fixtures: a settings object on a temporary home, a fixed clock, and
an app bootstrapped on a real SQLite database through the migrations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings, bundled_plans_dir

FIXTURES = Path(__file__).parent / "fixtures"
PLANS = bundled_plans_dir()


class FixedClock:
    """The only fake in the suite: a clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


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
