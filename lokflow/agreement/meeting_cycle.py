"""A plan's dialogue meetings as rows: the cycle's days (domain.meetings)
become `meetings` rows when they are first needed, so that agendas, minutes
and decisions have one place each."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.meetings import MeetingDay, meeting_days
from lokflow.domain.plan_document import PlanDocument
from lokflow.store import tables as t


def plan_document(plan: t.Plan) -> PlanDocument:
    return PlanDocument.model_validate(plan.document)


def meeting_row(session: Session, plan: t.Plan, day: MeetingDay, zone: ZoneInfo,
                now: datetime) -> t.Meeting:
    """The meeting of that day, created on first use."""
    found = find_meeting(session, plan.id, day.day)
    if found is not None:
        return found
    row = t.Meeting(plan_id=plan.id, held_on=day.day,
                    starts_at=day.starts.replace(tzinfo=zone),
                    ends_at=day.ends.replace(tzinfo=zone), created_at=now)
    session.add(row)
    session.flush()
    return row


def find_meeting(session: Session, plan_id: int, day: date) -> t.Meeting | None:
    return session.scalar(select(t.Meeting).where(t.Meeting.plan_id == plan_id,
                                                  t.Meeting.held_on == day))


def cycle_meetings(session: Session, plan: t.Plan, today: date, zone: ZoneInfo,
                   now: datetime) -> list[t.Meeting]:
    """The meetings of last year, this year and next year, as rows."""
    start, end = date(today.year - 1, 1, 1), date(today.year + 1, 12, 31)
    days = meeting_days(plan_document(plan), start, end)
    return [meeting_row(session, plan, day, zone, now) for day in days]


def stored_meetings(session: Session, plan_id: int) -> list[t.Meeting]:
    """Every meeting row of the plan, oldest first (for readers)."""
    return list(session.scalars(select(t.Meeting).where(t.Meeting.plan_id == plan_id)
                                .order_by(t.Meeting.held_on)))


def previous_meeting_day(session: Session, plan_id: int, day: date) -> date:
    """The day of the meeting before, or half a year before without one: the
    agenda looks at what happened since."""
    found = session.scalar(select(t.Meeting.held_on).where(
        t.Meeting.plan_id == plan_id, t.Meeting.held_on < day)
        .order_by(t.Meeting.held_on.desc()).limit(1))
    return found or day - timedelta(days=182)
