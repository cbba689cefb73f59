"""Daylight saving time: local dates and the send time of scheduled runs stay
right across the spring and autumn changes in Europe/Stockholm."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lokflow.bootstrap import App
from lokflow.orchestration.deployment_specs import rdate_rule
from lokflow.settings import Settings


@pytest.mark.parametrize(
    ("utc", "local_day"),
    [
        (datetime(2023, 3, 25, 22, 59, tzinfo=UTC), date(2023, 3, 25)),  # 23:59 CET
        (datetime(2023, 3, 25, 23, 0, tzinfo=UTC), date(2023, 3, 26)),   # 00:00 CET
        (datetime(2023, 3, 26, 22, 0, tzinfo=UTC), date(2023, 3, 27)),   # 00:00 CEST
        (datetime(2023, 10, 28, 21, 59, tzinfo=UTC), date(2023, 10, 28)),  # 23:59 CEST
        (datetime(2023, 10, 28, 22, 0, tzinfo=UTC), date(2023, 10, 29)),
        (datetime(2023, 10, 29, 22, 59, tzinfo=UTC), date(2023, 10, 29)),  # 23:59 CET
    ],
)
def test_today_is_the_stockholm_date(utc: datetime, local_day: date, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, _env_file=None)  # type: ignore[call-arg]
    app = App(settings=settings, engine=None, sessions=None, clock=lambda: utc)  # type: ignore[arg-type]
    assert app.today() == local_day


def test_scheduled_runs_keep_local_send_time_across_both_changes(tmp_path: Path) -> None:
    from prefect.server.schemas.schedules import RRuleSchedule

    settings = Settings(home=tmp_path, _env_file=None)  # type: ignore[call-arg]
    days = [date(2023, 3, 24), date(2023, 3, 27), date(2023, 10, 27), date(2023, 10, 30)]
    schedule = RRuleSchedule(rrule=rdate_rule(days, settings, date(2023, 3, 1)),
                             timezone="Europe/Stockholm")
    runs = asyncio.run(schedule.get_dates(10, start=datetime(2023, 3, 1, tzinfo=UTC)))
    assert [r.astimezone(UTC).strftime("%m-%d %H:%M") for r in runs] == [
        "03-24 06:30", "03-27 05:30", "10-27 05:30", "10-30 06:30"]
    assert {r.strftime("%H:%M") for r in runs} == {"07:30"}
