"""The owner's overview: every activity the link answers for, grouped by what
to do about it (overdue, to report now, coming, the rest), each with the one
occurrence its short form is about.

The occurrence the form shows is the occurrence a report from the form is
stored against, so a proposed new date moves the date the owner saw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.domain.occurrences import Occurrence, PlanCalendar, occurrences
from lokflow.domain.overdue import overdue_occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.domain.timelines import AnySchedule, OnDemand, Ongoing
from lokflow.plans.activity_names import activity_label
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.owner_access import OwnerScope, scope_activities
from lokflow.reporting.owner_header import OwnerHeader, owner_header
from lokflow.reporting.report_queries import accepted_dates, latest_statuses, pending_counts
from lokflow.store import tables as t

SOON = timedelta(days=30)
"""An activity due within this many days is to be reported now."""
GROUPS = ("overdue", "now", "upcoming", "other")


@dataclass(frozen=True)
class FormOccurrence:
    """The occurrence a short form reports on: its key, its date (an accepted
    new date applied) and whether a new date may be proposed for it."""

    key: str
    due: date
    kind: str

    @property
    def allows_new_date(self) -> bool:
        return self.kind == "deadline"


@dataclass(frozen=True)
class OwnerItem:
    id: int
    label: str
    text: str
    plan_name: str
    timeline: str
    group: str
    occurrence: FormOccurrence | None
    overdue_since: date | None  # the oldest missed deadline: the overview's order
    overdue_latest: date | None  # the newest: what the reminder and the short form ask about
    overdue_count: int
    next_due: date | None
    latest: t.StatusReport | None
    reported_lately: bool
    pending_dates: int


@dataclass(frozen=True)
class OwnerOverview:
    header: OwnerHeader
    items: list[OwnerItem]

    def group(self, name: str) -> list[OwnerItem]:
        return [i for i in self.items if i.group == name]

    def item(self, activity_id: int) -> OwnerItem | None:
        return next((i for i in self.items if i.id == activity_id), None)


def owner_overview(session: Session, scope: OwnerScope, today: date,
                   language: str) -> OwnerOverview:
    """The overview of everything this owner answers for, in bulk queries."""
    activities = scope_activities(session, scope)
    header = owner_header(session, scope, {a.plan_id: a.plan for a in activities}, today)
    ids = [a.id for a in activities]
    latest = newest_reports(session, ids)
    statuses, _ = latest_statuses(session, ids)
    moved = accepted_dates(session, ids)
    pending = pending_counts(session, ids)
    calendars = {a.plan_id: plan_calendar(a.plan) for a in activities}
    items = []
    for activity in activities:
        resolved = frozenset(k for k, s in statuses.get(activity.id, {}).items()
                             if Status(s).resolves)
        facts = _Facts(schedule_from_json(activity.schedule), calendars[activity.plan_id],
                       date(activity.plan.period_start, 1, 1), today, resolved,
                       moved.get(activity.id, {}))
        since = header.reported_since(activity.plan_id, today)
        items.append(_item(activity, facts, latest.get(activity.id), since,
                           pending.get(activity.id, 0), header.round_deadline(activity.plan_id),
                           language))
    order = {g: n for n, g in enumerate(GROUPS)}
    items.sort(key=lambda i: (order[i.group], i.overdue_since or i.next_due or date.max))
    return OwnerOverview(header=header, items=items)


def newest_reports(session: Session, activity_ids: list[int]) -> dict[int, t.StatusReport]:
    """Each activity's last recorded report, and only that one (an owner's
    page is opened from every reminder: it reads no more than it shows)."""
    if not activity_ids:
        return {}
    last = (select(func.max(t.StatusReport.id))
            .where(t.StatusReport.activity_id.in_(activity_ids))
            .group_by(t.StatusReport.activity_id)).scalar_subquery()
    return {r.activity_id: r for r in session.scalars(
        select(t.StatusReport).where(t.StatusReport.id.in_(last)))}


@dataclass(frozen=True)
class _Facts:
    """One activity's schedule and what is known of it, for the day."""

    schedule: AnySchedule
    calendar: PlanCalendar
    start: date
    today: date
    resolved: frozenset[str]
    moved: Mapping[str, date]


def _item(activity: t.Activity, facts: _Facts, latest: t.StatusReport | None, since: datetime,
          pending: int, round_deadline: date | None, language: str) -> OwnerItem:
    overdue = overdue_occurrences(facts.schedule, facts.calendar, facts.start, facts.today,
                                  facts.resolved, facts.moved)
    upcoming = _next(facts.schedule, facts.calendar, facts.today, facts.resolved, facts.moved)
    occurrence = form_occurrence(facts.schedule, facts.today, facts.resolved, facts.moved,
                                 overdue, upcoming)
    lately = latest is not None and latest.created_at >= since
    return OwnerItem(
        id=activity.id, label=activity_label(activity, language), text=activity.text,
        plan_name=activity.plan.short_name, timeline=activity.timeline,
        group=_group(overdue, upcoming, round_deadline, facts.today),
        occurrence=occurrence, overdue_since=overdue[0].due if overdue else None,
        overdue_latest=overdue[-1].due if overdue else None, overdue_count=len(overdue),
        next_due=upcoming.due if upcoming else None, latest=latest,
        reported_lately=lately, pending_dates=pending)


def _group(overdue: list[Occurrence], upcoming: FormOccurrence | None,
           round_deadline: date | None, today: date) -> str:
    if overdue:
        return "overdue"
    if round_deadline is not None:
        return "now"  # an open round asks about every open activity
    if upcoming is not None and upcoming.due <= max(today + SOON, round_deadline or today):
        return "now"
    return "upcoming" if upcoming is not None else "other"


def _next(schedule: AnySchedule, calendar: PlanCalendar, today: date,
          resolved: frozenset[str], moved: Mapping[str, date]) -> FormOccurrence | None:
    """The first unresolved occurrence due today or later (accepted dates applied;
    a date moved from up to three years back counts where it moved to)."""
    if isinstance(schedule, OnDemand):
        return None
    back = 3 * 366 if moved else 0
    window = occurrences(schedule, calendar, today - timedelta(days=back),
                         today + timedelta(days=2 * 366))
    found = [FormOccurrence(o.key, moved.get(o.key, o.due), o.kind) for o in window
             if o.key not in resolved]
    ahead = sorted((o for o in found if o.due >= today), key=lambda o: o.due)
    return ahead[0] if ahead else None


def form_occurrence(schedule: AnySchedule, today: date, resolved: frozenset[str],
                    moved: Mapping[str, date], overdue: list[Occurrence],
                    upcoming: FormOccurrence | None) -> FormOccurrence | None:
    """What the short form reports on: the newest overdue deadline (the one the
    latest reminder or late notice asked about; a yearly item's older missed
    years stay overdue and come next), else the next occurrence; for ongoing
    work its unresolved first deadline, else the next check-in; nothing for
    on-demand work (the report has no date)."""
    if overdue:
        newest = overdue[-1]
        return FormOccurrence(newest.key, newest.due, newest.kind)
    if isinstance(schedule, Ongoing) and schedule.initial_deadline and (
            "deadline" not in resolved):
        return FormOccurrence("deadline", moved.get("deadline", schedule.initial_deadline),
                              "deadline")
    return upcoming
