"""The event builders: what each kind of timeline becomes, and that every
RRULE, read back by recurring-ical-events, gives exactly the occurrences the
domain computes (also with moved and cancelled occurrences)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lokflow.domain.occurrences import PlanCalendar, occurrences
from lokflow.domain.statuses import Status
from lokflow.domain.timelines import (
    AnySchedule,
    Deadline,
    MonthDay,
    Ongoing,
    Recurrence,
    Window,
    Yearly,
)
from lokflow.feeds.activity_events import ActivityInput, Presentation, activity_events
from lokflow.feeds.event_series import EventMeta, Mark, alarm_trigger
from lokflow.feeds.ical_writer import write_calendar
from lokflow.feeds.model import FeedCalendar, FeedEvent
from lokflow.feeds.plan_events import Cadence, PlanInput, RoundInput, plan_events
from lokflow.feeds.window import FeedWindow
from tests.support.ical_checks import python_occurrences

STAMP = datetime(2024, 1, 5, 8, 0, tzinfo=UTC)
HORIZON = date(2031, 12, 31)
FOLLOW_UP = MonthDay(11, 15)


def _activity(
    schedule: AnySchedule, *, annual: MonthDay = FOLLOW_UP,
    period_end: date | None = date(2027, 12, 31), start: date = date(2023, 1, 1),
    marks: Mapping[str, Mark] | None = None, moved: Mapping[str, date] | None = None,
) -> ActivityInput:
    return ActivityInput(
        plan="testby", plan_name="LÖK Testby", key="k-1.1", text="Dela ut föreningspriset.",
        commitment="1. Kommunen stödjer föreningslivet.", party="municipality",
        principle="Öppenhet", owners=("Kultur- och fritidsförvaltningen",), executor=None,
        partners=("Studieförbunden",), timeline="Årligen", location="Folkets hus",
        schedule=schedule, calendar=PlanCalendar(annual, period_end), anchor=start,
        marks=marks or {}, latest=None, moved=moved or {}, stamp=STAMP, sequence=3)


def _view(language: str = "sv", report_url: str | None = None) -> Presentation:
    return Presentation(language=language, alarm=alarm_trigger(7), horizon=HORIZON,
                        report_url=report_url)


def _expand(events: list[FeedEvent], start: date, end: date) -> list[tuple[str, str]]:
    body = write_calendar(FeedCalendar(uid="t", name="t", description="t", timezone="UTC",
                                       refresh=timedelta(hours=12), language="sv",
                                       events=tuple(events)))
    return sorted((uid, first) for uid, first, _, _ in python_occurrences(body, start, end))


def _domain(item: ActivityInput, start: date, end: date, kind: str) -> list[str]:
    found = occurrences(item.schedule, item.calendar, max(start, item.anchor), end)
    return sorted(item.moved.get(o.key, o.due).isoformat() for o in found if o.kind == kind)


def test_a_deadline_is_one_all_day_event() -> None:
    [event] = activity_events(_activity(Deadline(due=date(2024, 12, 31))), _view())
    assert (event.start, event.end) == (date(2024, 12, 31), date(2025, 1, 1))
    assert event.uid == "testby/k-1.1/deadline@lokflow"
    assert event.text.summary == "k-1.1 LÖK Testby: Dela ut föreningspriset."
    assert event.text.categories == ("LÖK Testby", "Öppenhet", "Kommunen")
    assert (event.sequence, event.stamp, event.location) == (3, STAMP, "Folkets hus")
    assert "Samarbetspartner: Studieförbunden" in event.text.description
    assert "Rapportera" not in event.text.description and event.url is None


def test_a_long_window_is_shown_on_its_due_day_a_short_one_over_its_days() -> None:
    long, *checkins = activity_events(
        _activity(Window(start=date(2023, 1, 1), end=date(2024, 12, 31))), _view())
    assert (long.start, long.end) == (date(2024, 12, 31), date(2025, 1, 1))
    assert "Genomförs 2023-01-01 – 2024-12-31" in long.text.description
    # The check-ins during the window, on the plan's check-in days (15 May, 15 Nov).
    assert [(e.uid, e.start) for e in checkins] == [
        (f"testby/k-1.1/checkin-{day}@lokflow", date.fromisoformat(day))
        for day in ("2023-05-15", "2023-11-15", "2024-05-15", "2024-11-15")]
    assert all(e.text.summary.startswith("k-1.1 LÖK Testby: Avstämning: ") for e in checkins)
    [short] = activity_events(_activity(Window(start=date(2024, 5, 6), end=date(2024, 5, 12))),
                              _view())
    assert (short.start, short.end) == (date(2024, 5, 6), date(2024, 5, 13))


def test_inferred_values_are_named_in_the_description() -> None:
    item = replace(_activity(Yearly(month=11, day=15)), inferred=("annual_date",))
    [event] = activity_events(item, _view())
    assert "Antaget (anges inte i handlingsplanen): datum." in event.text.description
    [english] = activity_events(item, _view("en"))
    assert "Inferred (not given in the action plan): date." in english.text.description
    [plain] = activity_events(_activity(Yearly(month=11, day=15)), _view())
    assert "Antaget" not in plain.text.description


def test_a_yearly_activity_is_one_recurring_event_until_the_plan_ends() -> None:
    item = _activity(Yearly(month=11, day=15, start=date(2023, 1, 1)))
    [event] = activity_events(item, _view())
    assert event.rrule == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15;UNTIL=20271231"
    assert (event.start, event.first, event.last) == (
        date(2023, 11, 15), date(2023, 11, 15), date(2027, 11, 15))
    expanded = [d for _, d in _expand([event], date(2020, 1, 1), date(2032, 1, 1))]
    assert expanded == _domain(item, date(2020, 1, 1), date(2032, 1, 1), "deadline")


@settings(max_examples=60, deadline=None)
@given(month=st.integers(1, 12), day=st.integers(1, 31), first=st.integers(2020, 2026),
       end=st.one_of(st.none(), st.integers(2026, 2030)))
def test_yearly_rules_match_the_domain(month: int, day: int, first: int, end: int | None) -> None:
    day = min(day, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    item = _activity(Yearly(month=month, day=day, start=date(first, 3, 1)),
                     period_end=date(end, 12, 31) if end else None, start=date(2020, 1, 1))
    events = activity_events(item, _view())
    assert sorted(d for _, d in _expand(events, date(2020, 1, 1), HORIZON)) == _domain(
        item, date(2020, 1, 1), HORIZON - timedelta(days=1), "deadline")


@settings(max_examples=60, deadline=None)
@given(month=st.integers(1, 12), day=st.integers(1, 31), per_year=st.integers(1, 12),
       end=st.one_of(st.none(), st.integers(2025, 2029)))
def test_checkin_rules_match_the_domain(month: int, day: int, per_year: int,
                                        end: int | None) -> None:
    day = min(day, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    item = _activity(Ongoing(start=date(2023, 2, 1), checkins_per_year=per_year),
                     annual=MonthDay(month, day), period_end=date(end, 12, 31) if end else None)
    events = activity_events(item, _view())
    assert all(e.uid.startswith("testby/k-1.1/checkins") for e in events)
    assert sorted(d for _, d in _expand(events, date(2023, 1, 1), HORIZON)) == _domain(
        item, date(2023, 1, 1), HORIZON - timedelta(days=1), "checkin")


def test_ongoing_work_with_a_first_deadline_has_both() -> None:
    item = _activity(Ongoing(start=date(2023, 1, 1), initial_deadline=date(2024, 12, 31)))
    events = activity_events(item, _view())
    assert [e.uid for e in events] == ["testby/k-1.1/deadline@lokflow",
                                       "testby/k-1.1/checkins@lokflow"]
    assert events[1].rrule == "FREQ=YEARLY;BYMONTH=5,11;BYMONTHDAY=15;UNTIL=20271231"
    assert events[1].text.summary.startswith("k-1.1 LÖK Testby: Avstämning: ")


def test_a_moved_occurrence_is_an_override_with_the_same_uid() -> None:
    item = _activity(Yearly(month=11, day=15, start=date(2023, 1, 1)),
                     moved={"2025": date(2025, 12, 1)})
    [event] = activity_events(item, _view())
    [override] = event.overrides
    assert (override.uid, override.recurrence_id, override.start) == (
        event.uid, date(2025, 11, 15), date(2025, 12, 1))
    assert "Nytt datum, ursprungligen 2025-11-15." in override.text.description
    expanded = [d for _, d in _expand([event], date(2023, 1, 1), date(2028, 1, 1))]
    assert expanded == ["2023-11-15", "2024-11-15", "2025-12-01", "2026-11-15", "2027-11-15"]


def test_status_shows_on_its_occurrence_and_cancelled_ones_disappear() -> None:
    item = _activity(Yearly(month=11, day=15, start=date(2023, 1, 1)),
                     marks={"2023": Mark(Status.DONE, date(2023, 11, 10)),
                            "2024": Mark(Status.CANCELLED, date(2024, 6, 1))})
    [event] = activity_events(item, _view())
    assert event.exdates == (date(2024, 11, 15),)
    [done] = event.overrides
    assert done.text.summary.endswith(" [klar]") and "klar" in done.text.categories
    assert "Status: klar (rapporterad 2023-11-10)" in done.text.description
    expanded = [d for _, d in _expand([event], date(2023, 1, 1), date(2028, 1, 1))]
    assert expanded == ["2023-11-15", "2025-11-15", "2026-11-15", "2027-11-15"]
    [english] = activity_events(item, _view("en"))
    assert english.overrides[0].text.summary.endswith(" [done]")


def test_a_cancelled_deadline_keeps_its_event_marked_cancelled() -> None:
    item = _activity(Deadline(due=date(2024, 6, 30)),
                     marks={"deadline": Mark(Status.CANCELLED, date(2024, 5, 2))})
    [event] = activity_events(item, _view())
    assert event.text.status == "CANCELLED" and event.text.summary.endswith("[inställd]")


def test_a_plans_own_rrule_starts_on_its_first_real_occurrence() -> None:
    item = _activity(Recurrence(rrule="RRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18",
                                dtstart=date(2019, 9, 1)),
                     period_end=date(2022, 12, 31), start=date(2018, 1, 1))
    [event] = activity_events(item, _view())
    assert event.start == date(2019, 9, 18)
    assert event.rrule == "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18;UNTIL=20221231"
    expanded = [d for _, d in _expand([event], date(2018, 1, 1), date(2024, 1, 1))]
    assert expanded == _domain(item, date(2018, 1, 1), date(2024, 1, 1), "deadline")


def test_personal_feeds_carry_the_report_link() -> None:
    link = "https://lok.example.org/feeds/abc/rapport"
    [event] = activity_events(_activity(Deadline(due=date(2024, 12, 31))), _view(report_url=link))
    assert event.url == link and f"Rapportera status: {link}" in event.text.description


def _plan(**changes: object) -> PlanInput:
    fields: dict[str, object] = {
        "slug": "tierp", "short_name": "LÖK Tierp", "title": "Aktivitetsplan",
        "calendar": PlanCalendar(MonthDay(11, 15), None), "period_start": 2022,
        "adopted": None, "annual_note": "Vid samverkansträffen.", "round_weeks": 6,
        "dialogue_dates": (), "dialogue_note": None,
        "evaluation": Cadence(first_after=2, every=5), "renegotiation": None, "rounds": (),
        "stamp": STAMP, "sequence": 7, **changes}
    return PlanInput(**fields)  # type: ignore[arg-type]


def _plan_dates(plan: PlanInput, part: str, end: date = date(2035, 1, 1)) -> list[str]:
    events = plan_events(plan, language="sv", horizon=date(2034, 12, 31),
                         meta=EventMeta(stamp=STAMP, sequence=7))
    wanted = f"tierp/{part}@lokflow"
    return [d for uid, d in _expand(events, date(2020, 1, 1), end) if uid == wanted]


def test_tierp_evaluates_first_after_two_years_then_every_five() -> None:
    assert _plan_dates(_plan(), "evaluation") == ["2024-11-15", "2029-11-15", "2034-11-15"]
    assert _plan_dates(_plan(), "annual-follow-up")[:2] == ["2022-11-15", "2023-11-15"]


def test_dialogue_meetings_and_renegotiation() -> None:
    plan = _plan(calendar=PlanCalendar(MonthDay(11, 15), date(2022, 12, 31)), period_start=2018,
                 dialogue_dates=(MonthDay(3, 18), MonthDay(9, 18)),
                 renegotiation=Cadence(first_after=None, every=4), evaluation=None)
    assert _plan_dates(plan, "dialogue")[:3] == ["2020-03-18", "2020-09-18", "2021-03-18"]
    assert _plan_dates(plan, "renegotiation") == ["2022-11-15"]
    assert _plan_dates(plan, "evaluation") == []


def test_a_round_with_another_deadline_moves_that_year() -> None:
    plan = _plan(rounds=(RoundInput(2023, date(2023, 10, 4), date(2023, 11, 20)),
                         RoundInput(2024, date(2024, 10, 4), date(2024, 11, 15))))
    dates = _plan_dates(plan, "reporting-round", date(2026, 1, 1))
    assert dates == ["2022-11-15", "2023-11-20", "2024-11-15", "2025-11-15"]


def test_the_window_and_the_day_it_last_changed() -> None:
    window = FeedWindow(date(2024, 6, 1), 365, 1095)
    events = activity_events(_activity(Deadline(due=date(2023, 5, 1))), _view())
    assert not window.includes(events[0])  # more than a year ago
    left = window.changed_on(events)
    assert left == date(2024, 5, 1)  # 365 days after its last day, it left the window
    assert FeedWindow(left - timedelta(days=1), 365, 1095).includes(events[0])
    assert not FeedWindow(left, 365, 1095).includes(events[0])
    yearly = activity_events(_activity(Yearly(month=11, day=15), period_end=None), _view())
    assert window.includes(yearly[0]) and yearly[0].last is None


@pytest.mark.parametrize("days", [1, 7, 14])
def test_alarm_is_at_nine_in_the_morning(days: int) -> None:
    trigger = alarm_trigger(days)
    assert trigger is not None
    moment = datetime(2024, 11, 15) + trigger
    assert (moment.date(), moment.hour) == (date(2024, 11, 15) - timedelta(days=days), 9)
