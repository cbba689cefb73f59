"""The events of one activity, from its schedule (a pure function).

- a deadline: one all-day event on the due day (or its accepted new date);
- a window: one all-day event over the window when it is short, else on the
  day it is due (a two-year banner on every day would bury everything else),
  and a long window's check-ins as events of their own;
- a yearly activity or a plan's own RRULE: one recurring event;
- ongoing work: its initial deadline, if any, and its check-in days as one
  recurring event;
- on demand: nothing (it is covered by the annual follow-up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lokflow.domain.occurrences import PlanCalendar, checkin_days, occurrences
from lokflow.domain.statuses import Status
from lokflow.domain.timelines import (
    AnySchedule,
    Deadline,
    Ongoing,
    Recurrence,
    Window,
    Yearly,
)
from lokflow.feeds.event_series import DAY, EventMeta, Mark, TextFor, dated, series, single
from lokflow.feeds.identity import uid
from lokflow.feeds.model import EventText, FeedEvent
from lokflow.feeds.yearly_rules import month_day_rules, written_rule
from lokflow.plans.activity_names import label_of
from lokflow.texts.feeds import iso, short, status_label, words
from lokflow.texts.inferred import inferred_note

SPAN_DAYS = 31
"""Windows up to this long are shown as one event over the whole window."""


@dataclass(frozen=True)
class ActivityInput:
    """One activity as the feed sees it: texts, schedule, reports, moves."""

    plan: str
    plan_name: str
    key: str
    text: str
    commitment: str
    party: str
    principle: str | None
    owners: tuple[str, ...]
    executor: str | None
    partners: tuple[str, ...]
    timeline: str
    location: str | None
    schedule: AnySchedule
    calendar: PlanCalendar
    anchor: date
    marks: Mapping[str, Mark]
    latest: Mark | None
    moved: Mapping[str, date]
    stamp: datetime
    sequence: int
    overdue: tuple[tuple[str, date, int], ...] = ()
    """(occurrence, due, escalation level reached) of each passed, unreported deadline."""
    inferred: tuple[str, ...] = ()
    """The fields whose value the source does not give (shown in the description)."""
    number: str | None = None  # the source's number: the label is "Kommunen 2.2"
    party_names: Mapping[str, str] | None = None  # the plan's own names of parties


@dataclass(frozen=True)
class Presentation:
    """How one subscription shows events: language, alarm, personal link."""

    language: str
    alarm: timedelta | None
    horizon: date
    report_url: str | None = None
    plan_urls: Mapping[str, str] | None = None


def activity_events(item: ActivityInput, view: Presentation) -> list[FeedEvent]:
    url = view.report_url or (view.plan_urls or {}).get(item.plan)
    meta = EventMeta(stamp=item.stamp, sequence=item.sequence, url=url,
                     location=item.location, alarm=view.alarm)
    schedule = item.schedule
    deadline_text = _texts(item, view, checkin=False)
    if isinstance(schedule, Deadline):
        return [dated(uid(item.plan, item.key, "deadline"), "deadline", schedule.due,
                      deadline_text, meta, item.marks, item.moved)]
    if isinstance(schedule, Window):
        return [_window(item, schedule, deadline_text, meta), *_window_checkins(item, view, meta)]
    if isinstance(schedule, Yearly | Recurrence):
        return _recurring(item, view, meta, deadline_text)
    if isinstance(schedule, Ongoing):
        return _ongoing(item, schedule, view, meta)
    return []


def _window(item: ActivityInput, window: Window, text: TextFor, meta: EventMeta) -> FeedEvent:
    due = item.moved.get("deadline", window.end)
    start = min(window.start, due)
    if (due - start).days >= SPAN_DAYS:
        start = due
    moved_from = window.end if "deadline" in item.moved else None
    return single(uid(item.plan, item.key, "deadline"), start, due + DAY,
                  text(item.marks.get("deadline"), moved_from), meta)


def _window_checkins(item: ActivityInput, view: Presentation, meta: EventMeta) -> list[FeedEvent]:
    """A long window's check-ins, one event each: the same days the engine asks
    the owners how it is going (a window has at most a few)."""
    text = _texts(item, view, checkin=True)
    return [dated(uid(item.plan, item.key, key), key, due, text, meta, item.marks, item.moved)
            for key, due in _dates(item, view.horizon, "checkin")]


def _dates(item: ActivityInput, horizon: date, kind: str) -> list[tuple[str, date]]:
    """Occurrences up to the plan's end; for an endless series up to the
    horizon, or past it as far as an accepted new date reaches (its override
    must be written even if the original date is beyond the window)."""
    end = item.calendar.period_end or max(
        [horizon, *(day + timedelta(days=366) for day in item.moved.values())])
    anchor = item.anchor
    if isinstance(item.schedule, Recurrence):
        anchor = min(anchor, item.schedule.dtstart)
    found = occurrences(item.schedule, item.calendar, anchor, end)
    return [(o.key, o.due) for o in found if o.kind == kind]


def _recurring(
    item: ActivityInput, view: Presentation, meta: EventMeta, text: TextFor
) -> list[FeedEvent]:
    schedule = item.schedule
    until = item.calendar.period_end
    if isinstance(schedule, Yearly):
        rule, part = month_day_rules([schedule.month_day], until=until)[0][0], "yearly"
    else:
        assert isinstance(schedule, Recurrence)
        rule, part = written_rule(schedule.rrule, until), "rrule"
    event = series(uid(item.plan, item.key, part), rule,
                   _dates(item, view.horizon, "deadline"), bounded=until is not None,
                   text_for=text, meta=meta, marks=item.marks, moved=item.moved)
    return [event] if event else []


def _ongoing(
    item: ActivityInput, schedule: Ongoing, view: Presentation, meta: EventMeta
) -> list[FeedEvent]:
    events = []
    if schedule.initial_deadline:
        events.append(dated(uid(item.plan, item.key, "deadline"), "deadline",
                            schedule.initial_deadline, _texts(item, view, checkin=False),
                            meta, item.marks, item.moved))
    until = item.calendar.period_end
    checkins = _dates(item, view.horizon, "checkin")
    days = checkin_days(item.calendar.annual_date, schedule.checkins_per_year)
    rules = month_day_rules(days, until=until)
    for index, (rule, members) in enumerate(rules):
        months = {d.month for d in members}
        part = "checkins" if index == 0 else f"checkins-d{members[0].day}"
        event = series(uid(item.plan, item.key, part), rule,
                       [(k, d) for k, d in checkins if d.month in months],
                       bounded=until is not None, text_for=_texts(item, view, checkin=True),
                       meta=meta, marks=item.marks, moved=item.moved)
        if event:
            events.append(event)
    return events


def _texts(item: ActivityInput, view: Presentation, *, checkin: bool) -> TextFor:
    w = words(view.language)
    base = (item.plan_name, *([item.principle] if item.principle else []), w[item.party])

    def text_for(mark: Mark | None, moved_from: date | None) -> EventText:
        label = status_label(mark.status, view.language) if mark else None
        prefix = f"{w['checkin']}: " if checkin else ""
        name = label_of(item.party_names, item.party, item.number, item.key,
                        view.language)
        if not checkin and any(o[0] == "deadline" for o in item.overdue):
            prefix = f"{w['overdue_mark']}: "
        summary = f"{name} {item.plan_name}: {prefix}{short(item.text)}"
        if label:
            summary += f" [{label}]"
        status = "CANCELLED" if mark and mark.status is Status.CANCELLED else "CONFIRMED"
        return EventText(summary=summary,
                         description=_description(item, view, mark or item.latest, moved_from),
                         categories=(*base, *([label] if label else [])), status=status)

    return text_for


def _description(
    item: ActivityInput, view: Presentation, mark: Mark | None, moved_from: date | None
) -> str:
    w = words(view.language)
    lines = [item.text, "", f"{w['commitment']}: {item.commitment}",
             f"{w['owners']}: {', '.join(item.owners)}"]
    if item.executor:
        lines.append(f"{w['executor']}: {item.executor}")
    if item.partners:
        lines.append(f"{w['partners']}: {', '.join(item.partners)}")
    timeline = f"{w['timeline']}: {item.timeline}"
    if isinstance(item.schedule, Window):
        timeline += f" ({w['window']} {iso(item.schedule.start)} – {iso(item.schedule.end)})"
    lines.append(timeline)
    inferred = inferred_note(item.inferred, view.language)
    if inferred:
        lines.append(inferred)
    for _, due, level in item.overdue:
        lines.append(w["overdue"].format(due=iso(due))
                     + (w["overdue_level"].format(level=level) if level else ""))
    if moved_from:
        lines.append(f"{w['moved']} {iso(moved_from)}.")
    status = (f"{status_label(mark.status, view.language)} ({w['reported']} {iso(mark.day)})"
              if mark else w["no_status"])
    lines.append(f"{w['status']}: {status}")
    if view.report_url:
        lines.append(f"{w['report']}: {view.report_url}")
    return "\n".join(lines)
