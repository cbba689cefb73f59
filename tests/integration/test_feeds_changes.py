"""When an activity's date or text changes (an edited plan file, an accepted
new date, a status report), its event keeps its UID and raises SEQUENCE and
LAST-MODIFIED, so subscribed calendars pick the change up; when nothing
changes, the feed is byte-identical."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.domain.statuses import Status
from lokflow.feeds.subscriptions import FeedSpec
from lokflow.reporting.status_reports import ReportInput, decide_date, record_report
from lokflow.store import tables as t
from tests.conftest import FIXTURES, FixedClock
from tests.support.feed_data import activity, render, sync
from tests.support.ical_checks import ical_js_occurrences, python_occurrences

TODAY = date(2024, 1, 10)
PLAN = FeedSpec("plan", "testby")


def _events(body: bytes, uid: str) -> list[Event]:
    return [e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == uid]


def _report(app: App, key: str, report: ReportInput, accept: bool = False) -> None:
    with app.sessions.begin() as session:
        row = session.merge(activity(app, "testby", key))
        record_report(session, row, report, app.now(), app.today())
        if accept:
            change = session.scalars(select(t.DateChange).where(
                t.DateChange.activity_id == row.id)).one()
            decide_date(session, change, True, "Samordnare", app.now())


def test_an_edited_date_raises_sequence_and_keeps_the_uid(
    app: App, clock: FixedClock, tmp_path: Path
) -> None:
    plan = tmp_path / "testby.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", plan)
    sync(app, plan)
    before = render(app, PLAN, TODAY)
    [old] = _events(before.body, "testby/k-1.1/deadline@lokflow")
    assert (old["SEQUENCE"], old.start) == (0, date(2024, 12, 31))

    clock.at = datetime(2023, 3, 1, 12, 0, tzinfo=UTC)
    plan.write_text(plan.read_text().replace('timeline: "2024"', 'timeline: "2025"'))
    sync(app, plan)
    after = render(app, PLAN, TODAY)
    [new] = _events(after.body, "testby/k-1.1/deadline@lokflow")
    assert (new["SEQUENCE"], new.start) == (1, date(2025, 12, 31))
    assert new.last_modified == new.DTSTAMP == clock.at
    assert after.etag != before.etag and after.last_modified == clock.at
    [same] = _events(after.body, "testby/c-1.1/checkins@lokflow")
    assert same["SEQUENCE"] == 0  # an untouched activity keeps its version


def test_an_accepted_new_date_moves_one_occurrence_in_both_parsers(
    app: App, clock: FixedClock, tmp_path: Path
) -> None:
    sync(app, FIXTURES / "minimal.yaml")
    clock.at = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)
    _report(app, "k-1.2", ReportInput(
        status=Status.IN_PROGRESS, reporter_name="Kim Kultur", channel="cli",
        proposed_date=date(2024, 10, 15), proposed_reason="Lokalen är upptagen.",
        occurrence_key="2024"), accept=True)
    feed = render(app, PLAN, date(2024, 9, 2))
    master, override = _events(feed.body, "testby/k-1.2/yearly@lokflow")
    assert "RECURRENCE-ID" not in master and master["SEQUENCE"] == 2  # a report + a new date
    recurrence_id = override.RECURRENCE_ID
    assert recurrence_id == date(2024, 10, 1)
    assert (override.start, override["SEQUENCE"]) == (date(2024, 10, 15), 2)
    assert str(override["SUMMARY"]).endswith("[pågår]")
    path = tmp_path / "moved.ics"
    path.write_bytes(feed.body)
    span = (date(2023, 1, 1), date(2026, 1, 1))
    node = ical_js_occurrences(path, *span)
    assert node == python_occurrences(feed.body, *span)
    dates = sorted(s for uid, s, _, _ in node if uid == "testby/k-1.2/yearly@lokflow")
    assert dates == ["2023-10-01", "2024-10-15", "2025-10-01"]


def test_a_status_report_shows_and_raises_sequence(app: App, clock: FixedClock) -> None:
    sync(app, FIXTURES / "minimal.yaml")
    before = render(app, PLAN, TODAY)
    clock.at = datetime(2024, 5, 6, 7, 0, tzinfo=UTC)
    _report(app, "k-1.1", ReportInput(status=Status.DONE, reporter_name="Kim Kultur",
                                      channel="cli"))
    after = render(app, PLAN, TODAY)
    [event] = _events(after.body, "testby/k-1.1/deadline@lokflow")
    assert str(event["SUMMARY"]).endswith("[klar]") and "klar" in event.categories
    assert event["SEQUENCE"] == 1 and event.last_modified == clock.at
    assert "Status: klar (rapporterad 2024-05-06)" in str(event["DESCRIPTION"])
    assert after.last_modified > before.last_modified


def test_nothing_changed_means_the_same_bytes(app: App, clock: FixedClock) -> None:
    sync(app, FIXTURES / "minimal.yaml")
    first = render(app, PLAN, TODAY)
    clock.at += timedelta(hours=5)
    sync(app, FIXTURES / "minimal.yaml")  # an unchanged file
    again = render(app, PLAN, TODAY)
    assert (again.body, again.etag, again.last_modified) == (
        first.body, first.etag, first.last_modified)
