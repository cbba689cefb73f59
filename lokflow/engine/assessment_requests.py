"""Asking each party's assessors for their own assessment when the
reporting round before the annual follow-up opens, and reminding them a
week before its deadline if their party has not assessed yet.

The notices go through the outbox under unique keys (round, party,
address, request or reminder), so the daily sweep and the round flow may
run as often as they like: each assessor gets each notice once. The sender
puts a fresh personal assessment link into the email."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import Person
from lokflow.engine.outbox import Notice
from lokflow.reporting.assessment_access import assessor_name, assessors
from lokflow.reporting.assessments import submitted
from lokflow.store import tables as t

REQUEST, REMINDER = "assessment_request", "assessment_reminder"
KINDS = (REQUEST, REMINDER)
REMIND_BEFORE = timedelta(days=7)


def wanted(opens_on: date, deadline: date, today: date, assessed: bool) -> list[str]:
    """Which notices an assessor of a party is due today (the pure rule):
    the request from the day the round opens until its deadline, and the
    reminder in its last week but at least a week after the request;
    neither once the party has assessed. (Each goes out once: the outbox
    key is the same every day.)"""
    if assessed or not opens_on <= today <= deadline:
        return []
    remind_from = max(deadline - REMIND_BEFORE, opens_on + REMIND_BEFORE)
    return [REQUEST, *([REMINDER] if today >= remind_from else [])]


def assessment_notices(session: Session, rounds: Iterable[t.ReportingRound],
                       today: date) -> list[Notice]:
    """Today's requests and reminders for the assessors of every open round."""
    notices = []
    for row in rounds:
        plan = session.get_one(t.Plan, row.plan_id)
        people = assessors(plan)
        if not people:
            continue
        done = submitted(session, plan.id, row.year)
        for party, email in people:
            for kind in wanted(row.opens_on, row.deadline, today, party in done):
                notices.append(Notice(
                    key=f"{kind}|{row.id}|{party}|{email}", plan_id=plan.id, kind=kind,
                    stage=kind.removeprefix("assessment_"),
                    recipient=Person(email=email, name=assessor_name(session, plan, email),
                                     language=_language(session, plan, email)),
                    planned_day=today, due=row.deadline,
                    detail={"round": row.id, "year": row.year, "party": party}))
    return notices


def _language(session: Session, plan: t.Plan, email: str) -> str:
    """The contact's own language where the plan lists the address, else the plan's."""
    chosen = session.scalar(select(t.Contact.language).where(
        t.Contact.plan_id == plan.id, t.Contact.email == email,
        t.Contact.archived.is_(False)).order_by(t.Contact.id).limit(1))
    return chosen or plan.language
