"""Turns database rows into the plain inputs of the event builders, in a few
bulk queries: names, latest status per occurrence, accepted new dates, and
the version (SEQUENCE, LAST-MODIFIED) of each source.

An activity's SEQUENCE is (revision - 1) + accepted date changes + status
reports: each of them only grows, and one of them grows whenever the
activity's dates or texts change. Its LAST-MODIFIED is the latest of those
changes. A plan's own events follow the plan's last load; having no counter,
their SEQUENCE is the seconds from 2020 to that load, which also only grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.meetings import days_are_assumed, meeting_month_days
from lokflow.domain.plan_document import DialogueMeetings
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.domain.timelines import MonthDay
from lokflow.feeds.activity_events import ActivityInput
from lokflow.feeds.event_series import Mark
from lokflow.feeds.plan_events import Cadence, PlanInput, RoundInput
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.overdue import overdue_by_activity
from lokflow.store import tables as t

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def sequence_since_epoch(moment: datetime) -> int:
    return max(0, int((moment - EPOCH).total_seconds()))


@dataclass
class _Facts:
    marks: dict[str, Mark] = field(default_factory=dict)
    latest: Mark | None = None
    moved: dict[str, date] = field(default_factory=dict)
    changes: int = 0
    stamp: datetime | None = None

    def touch(self, moment: datetime) -> None:
        self.stamp = moment if self.stamp is None else max(self.stamp, moment)


def _facts(session: Session, ids: Collection[int], zone: ZoneInfo) -> dict[int, _Facts]:
    facts: dict[int, _Facts] = defaultdict(_Facts)
    reports = (select(t.StatusReport.activity_id, t.StatusReport.occurrence_key,
                      t.StatusReport.status, t.StatusReport.created_at)
               .where(t.StatusReport.activity_id.in_(list(ids)))
               .order_by(t.StatusReport.created_at, t.StatusReport.id))
    for activity_id, occurrence, status, created in session.execute(reports):
        mark = Mark(Status(status), created.astimezone(zone).date())
        fact = facts[activity_id]
        fact.marks[occurrence] = fact.latest = mark
        fact.changes += 1
        fact.touch(created)
    changes = (select(t.DateChange)
               .where(t.DateChange.activity_id.in_(list(ids)),
                      t.DateChange.decision == "accepted")
               .order_by(t.DateChange.decided_at, t.DateChange.id))
    for change in session.scalars(changes):
        fact = facts[change.activity_id]
        fact.moved[change.occurrence_key] = change.proposed_date
        fact.changes += 1
        fact.touch(change.decided_at or change.created_at)
    return facts


def activity_inputs(
    session: Session, activities: list[t.Activity], zone: ZoneInfo, today: date | None = None
) -> list[ActivityInput]:
    """The inputs of `activities`; with `today`, each one's overdue deadlines too
    (an activity changes on the day a deadline of it passes unreported)."""
    plan_ids = {a.plan_id for a in activities}
    units = {(u.plan_id, u.key): u.name for u in session.scalars(
        select(t.Unit).where(t.Unit.plan_id.in_(plan_ids)))}
    principles = {(p.plan_id, p.key): p.name for p in session.scalars(
        select(t.Principle).where(t.Principle.plan_id.in_(plan_ids)))}
    facts = _facts(session, [a.id for a in activities], zone)
    late = overdue_by_activity(session, today, zone, activity_ids=[a.id for a in activities]
                               ) if today and activities else {}
    found = []
    for row in activities:
        fact = facts.get(row.id, _Facts())
        stamp = max(row.updated_at, fact.stamp) if fact.stamp else row.updated_at
        overdue = tuple((o.occurrence, o.since, o.level) for o in late.get(row.id, []))
        if overdue:
            passed = datetime.combine(max(o[1] for o in overdue) + timedelta(days=1), time(),
                                      tzinfo=zone)
            stamp = max(stamp, passed)
        number = row.commitment.number or ""
        found.append(ActivityInput(
            plan=row.plan.slug, plan_name=row.plan.short_name, key=row.key, text=row.text,
            commitment=f"{number} {row.commitment.text}".strip(), party=row.party,
            principle=principles.get((row.plan_id, row.principle_key or "")),
            owners=tuple(units.get((row.plan_id, k), k) for k in row.owner_keys),
            executor=row.executor, partners=tuple(row.partners), timeline=row.timeline,
            location=row.location, schedule=schedule_from_json(row.schedule),
            calendar=plan_calendar(row.plan), anchor=date(row.plan.period_start, 1, 1),
            marks=fact.marks, latest=fact.latest, moved=fact.moved, stamp=stamp,
            sequence=row.revision - 1 + fact.changes + len(overdue), overdue=overdue,
            number=row.number,
            inferred=tuple(row.inferred or ()),
            party_names=(row.plan.document or {}).get("party_names"),
        ))
    return found


def _meeting_days(cycle: DialogueMeetings | None, annual: str) -> tuple[MonthDay, ...]:
    """The plan's meeting days; `per_year` alone spreads them over the year (issue 17)."""
    if cycle is None:
        return ()
    return tuple(meeting_month_days(cycle, MonthDay.parse(annual)))


def plan_inputs(session: Session, plans: list[t.Plan]) -> list[PlanInput]:
    rounds: dict[int, list[t.ReportingRound]] = defaultdict(list)
    for row in session.scalars(select(t.ReportingRound).where(
            t.ReportingRound.plan_id.in_([p.id for p in plans])).order_by(t.ReportingRound.year)):
        rounds[row.plan_id].append(row)
    found = []
    for plan in plans:
        follow_up = plan.document["follow_up"]
        dialogue = follow_up.get("dialogue_meetings") or {}
        cycle = DialogueMeetings.model_validate(dialogue) if dialogue else None
        stamp = max([plan.loaded_at, *(r.closed_at or r.opened_at for r in rounds[plan.id])])
        found.append(PlanInput(
            slug=plan.slug, short_name=plan.short_name, title=plan.title,
            calendar=plan_calendar(plan), period_start=plan.period_start, adopted=plan.adopted,
            annual_note=follow_up.get("annual_note"),
            round_weeks=int(follow_up.get("reporting_round_weeks", 6)),
            dialogue_dates=_meeting_days(cycle, follow_up["annual_date"]),
            dialogue_note=dialogue.get("note"),
            evaluation=_cadence(follow_up.get("evaluation")),
            renegotiation=_cadence(follow_up.get("renegotiation")),
            rounds=tuple(RoundInput(r.year, r.opens_on, r.deadline) for r in rounds[plan.id]),
            stamp=stamp, sequence=sequence_since_epoch(stamp),
            inferred=(*follow_up.get("inferred", []),
                      *(["dialogue_dates"] if cycle and days_are_assumed(cycle) else [])),
        ))
    return found


def _cadence(data: dict[str, object] | None) -> Cadence | None:
    if not data:
        return None
    first = data.get("first_after_years")
    return Cadence(first_after=int(str(first)) if first else None,
                   every=int(str(data["every_years"])), note=_text(data.get("note")))


def _text(value: object) -> str | None:
    return str(value) if value else None
