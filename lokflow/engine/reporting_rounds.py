"""Reporting rounds in the database: open, follow and close the collection of
status reports before a plan's annual follow-up, and queue its notices.

The decisions (who is asked, reminded, escalated) are the pure functions of
`lokflow.domain.round_actions`; this module gathers their facts and writes
their results to the outbox, whose unique keys make every run repeatable.
The daily sweep calls `auto_open_rounds` and then `due_round_notices`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.due_actions import CATCH_UP_DAYS, Person
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.round_actions import (
    RoundFacts,
    RoundOwner,
    in_round,
    missing_contacts,
    response_rate,
    round_actions,
    year_to_open,
)
from lokflow.domain.timelines import MonthDay
from lokflow.engine.activity_facts import person
from lokflow.engine.assessment_requests import assessment_notices
from lokflow.engine.outbox import Notice, QueueResult, queue_notices, sent_keys
from lokflow.reporting.report_queries import latest_statuses
from lokflow.store import tables as t

OPEN, CLOSED = "open", "closed"
RECENT_DAYS = 14  # LOKFLOW_ROUND_RECENT_DAYS's default


class RoundError(ValueError):
    """A round cannot be opened or closed; the message says why (in English,
    for the CLI) and `code` names it for the pages' words."""

    def __init__(self, message: str, code: str = "round_error") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class RoundStatus:
    """A round with its response rate per owner and who is missing."""

    round: t.ReportingRound
    plan: t.Plan
    facts: RoundFacts
    activities: dict[int, t.Activity]

    @property
    def answered(self) -> int:
        return response_rate(self.facts.owners)[0]

    @property
    def total(self) -> int:
        return response_rate(self.facts.owners)[1]

    @property
    def missing_people(self) -> list[Person]:
        return missing_contacts(self.facts)

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.slug, "year": self.round.year, "status": self.round.status,
            "opens_on": self.round.opens_on.isoformat(),
            "deadline": self.round.deadline.isoformat(),
            "answered": self.answered, "total": self.total,
            "owners": [{"id": o.key, "name": o.name, "answered": o.answered,
                        "total": len(o.activity_ids),
                        "missing": [self.activities[a].key for a in o.missing_ids],
                        "contacts": [p.email for p in o.contacts]}
                       for o in self.facts.owners],
            "missing_contacts": [p.email for p in self.missing_people],
        }


def _follow_up(plan: t.Plan) -> tuple[MonthDay, int, int]:
    follow_up = plan.document["follow_up"]
    return (MonthDay.parse(follow_up["annual_date"]),
            int(follow_up.get("reporting_round_weeks", 6)),
            int(follow_up.get("round_reminder_days", 7)))


def default_year(plan: t.Plan, today: date) -> int:
    """The year of the plan's next follow-up day on or after `today`."""
    annual, _, _ = _follow_up(plan)
    return today.year if annual.in_year(today.year) >= today else today.year + 1


def find_round(session: Session, plan: t.Plan, year: int) -> t.ReportingRound | None:
    return session.scalar(select(t.ReportingRound).where(
        t.ReportingRound.plan_id == plan.id, t.ReportingRound.year == year))


def find_open_round(session: Session, plan: t.Plan) -> t.ReportingRound | None:
    """The plan's latest open round, if any."""
    return session.scalar(select(t.ReportingRound).where(
        t.ReportingRound.plan_id == plan.id, t.ReportingRound.status == OPEN)
        .order_by(t.ReportingRound.year.desc()).limit(1))


def current_year(session: Session, plan: t.Plan, today: date) -> int:
    """The year of the plan's latest open round, else of its next follow-up day."""
    open_year = session.scalar(select(t.ReportingRound.year).where(
        t.ReportingRound.plan_id == plan.id, t.ReportingRound.status == OPEN)
        .order_by(t.ReportingRound.year.desc()).limit(1))
    return open_year or default_year(plan, today)


def planned_deadline(session: Session, plan: t.Plan, year: int) -> date:
    """The deadline a round of `year` gets unless told otherwise."""
    existing = find_round(session, plan, year)
    return existing.deadline if existing else _follow_up(plan)[0].in_year(year)


def open_round(session: Session, plan: t.Plan, year: int, now: datetime, today: date,
               deadline: date | None = None,
               recent_days: int = RECENT_DAYS) -> t.ReportingRound:
    """Open (or reopen) the round before `year`'s follow-up; opening twice is
    harmless. A report given up to `recent_days` before it opens answers it."""
    existing = find_round(session, plan, year)
    if existing is not None and existing.status == OPEN:
        return existing
    deadline = deadline or planned_deadline(session, plan, year)
    if deadline <= today:
        raise RoundError(f"the round's deadline {deadline.isoformat()} has passed; "
                         "give a later --deadline", "deadline_passed")
    counts_from = now - timedelta(days=recent_days)
    if existing is not None:
        existing.status, existing.closed_at, existing.deadline = OPEN, None, deadline
        return existing
    row = t.ReportingRound(plan_id=plan.id, year=year, opens_on=today, deadline=deadline,
                           status=OPEN, opened_at=now, counts_from=counts_from)
    try:
        with session.begin_nested():  # two sweeps at once: the second one finds the first's
            session.add(row)
            session.flush()
    except IntegrityError:
        found = find_round(session, plan, year)
        assert found is not None
        return found
    return row


def close_round(session: Session, plan: t.Plan, year: int, now: datetime) -> t.ReportingRound:
    """Close a round: no more requests, reminders or escalations."""
    row = find_round(session, plan, year)
    if row is None:
        raise RoundError(f"plan {plan.slug!r} has no reporting round for {year}", "no_round")
    if row.status != CLOSED:
        row.status, row.closed_at = CLOSED, now
    return row


def round_status(session: Session, plan: t.Plan, year: int) -> RoundStatus:
    row = find_round(session, plan, year)
    if row is None:
        raise RoundError(f"plan {plan.slug!r} has no reporting round for {year}", "no_round")
    facts, activities = round_facts(session, row)
    return RoundStatus(round=row, plan=plan, facts=facts, activities=activities)


def round_facts(session: Session,
                row: t.ReportingRound) -> tuple[RoundFacts, dict[int, t.Activity]]:
    """What the round decision needs: owners, their contacts and their answers."""
    plan = session.get_one(t.Plan, row.plan_id)
    activities = list(session.scalars(select(t.Activity).where(
        t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))
        .order_by(t.Activity.position)))
    statuses, _ = latest_statuses(session, [a.id for a in activities])
    answered = set(session.scalars(select(t.StatusReport.activity_id).where(
        t.StatusReport.activity_id.in_([a.id for a in activities]),
        t.StatusReport.created_at >= (row.counts_from or row.opened_at))))
    included = [a for a in activities if a.id in answered or in_round(
        schedule_from_json(a.schedule), statuses.get(a.id, {}))]
    by_owner: dict[str, list[int]] = defaultdict(list)
    for activity in included:
        for key in activity.owner_keys:
            by_owner[key].append(activity.id)
    contacts = list(session.scalars(select(t.Contact).where(
        t.Contact.plan_id == plan.id, t.Contact.archived.is_(False)).order_by(t.Contact.id)))
    units = {u.key: u for u in session.scalars(select(t.Unit).where(t.Unit.plan_id == plan.id))}
    owners = tuple(
        RoundOwner(key=key, name=units[key].name if key in units else key,
                   contacts=tuple(person(c) for c in contacts
                                  if c.kind == ContactKind.CONTACT and c.unit_key == key),
                   activity_ids=tuple(ids), answered_ids=frozenset(answered & set(ids)))
        for key, ids in sorted(by_owner.items(), key=lambda kv: _unit_position(units, kv[0])))
    _, _, every = _follow_up(plan)
    facts = RoundFacts(
        round_id=row.id, opens_on=row.opens_on, deadline=row.deadline, owners=owners,
        coordinators=tuple(person(c) for c in contacts if c.kind == ContactKind.COORDINATOR),
        reminder_days=every, is_open=row.status == OPEN)
    return facts, {a.id: a for a in included}


def _unit_position(units: dict[str, t.Unit], key: str) -> tuple[str, str]:
    unit = units.get(key)
    return (unit.name.casefold(), key) if unit else ("", key)


def auto_open_rounds(session: Session, now: datetime, today: date,
                     recent_days: int = RECENT_DAYS) -> list[t.ReportingRound]:
    """Open every round that is due by now (the daily sweep calls this first)."""
    opened = []
    for plan in session.scalars(select(t.Plan).where(t.Plan.archived.is_(False))
                                .order_by(t.Plan.slug)):
        annual, weeks, _ = _follow_up(plan)
        year = year_to_open(annual, weeks, today, plan.period_start, plan.period_end)
        if year is not None and find_round(session, plan, year) is None:
            opened.append(open_round(session, plan, year, now, today,
                                     recent_days=recent_days))
    return opened


def due_round_notices(session: Session, now: datetime, today: date,
                      catch_up_days: int = CATCH_UP_DAYS) -> QueueResult:
    """Queue today's round requests, reminders and escalations (the caller commits)."""
    rounds = list(session.scalars(select(t.ReportingRound).where(
        t.ReportingRound.status == OPEN).order_by(t.ReportingRound.id)))
    sent = sent_keys(session, today - timedelta(days=catch_up_days + 1)) if rounds else set()
    notices = [n for row in rounds for n in _round_notices(session, row, sent, today,
                                                            catch_up_days)]
    notices += assessment_notices(session, rounds, today)  # issue 17: both parties' own
    return queue_notices(session, notices, now, today)


def _round_notices(session: Session, row: t.ReportingRound, sent: set[str], today: date,
                   catch_up_days: int) -> list[Notice]:
    facts, _ = round_facts(session, row)
    return [Notice(key=action.key, plan_id=row.plan_id, kind=action.kind,
                   stage=action.kind.removeprefix("round_"), recipient=action.recipient,
                   planned_day=action.planned_day, due=action.due,
                   level=3 if action.kind == "round_escalation" else 0,
                   detail={"round": row.id, "year": row.year, "missing": list(action.missing)})
            for action in round_actions(facts, sent, today, catch_up_days)]


def round_notices_now(session: Session, row: t.ReportingRound, now: datetime,
                      today: date) -> QueueResult:
    """Queue one round's due notices at once: a round opened by hand asks
    every owner today instead of at the next sweep."""
    sent = sent_keys(session, today - timedelta(days=CATCH_UP_DAYS + 1))
    return queue_notices(session, _round_notices(session, row, sent, today, CATCH_UP_DAYS),
                         now, today)


def preview_round(session: Session, plan: t.Plan, year: int, deadline: date, now: datetime,
                  today: date, recent_days: int = RECENT_DAYS) -> RoundStatus:
    """Who a round opened now would ask, and about what (nothing is written)."""
    row = t.ReportingRound(plan_id=plan.id, year=year, opens_on=today, deadline=deadline,
                           status=OPEN, opened_at=now,
                           counts_from=now - timedelta(days=recent_days))
    facts, activities = round_facts(session, row)
    return RoundStatus(round=row, plan=plan, facts=facts, activities=activities)
