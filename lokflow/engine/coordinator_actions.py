"""What a coordinator does by hand, from the web, the CLI or the API: remind an
activity's owners now, remind everyone missing in a round, and decide a
proposed date with a reason the owners are told.

Every email goes through the outbox. A reminder's key carries the
coordinator's action id (one per preview page, or per API call), so the same
action sent twice (a double click, a retried request) queues it once; a new
action is a new reminder.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.due_actions import Person
from lokflow.domain.occurrences import next_due
from lokflow.domain.overdue import overdue_occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.engine.activity_facts import person
from lokflow.engine.outbox import Notice, QueueResult, queue_notices
from lokflow.engine.reporting_rounds import RoundError, find_open_round, round_facts
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.report_queries import accepted_dates, latest_statuses
from lokflow.reporting.status_reports import decide_date
from lokflow.store import tables as t

ACTION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


class ActionRefused(ValueError):
    """The action cannot be done; `code` names why (a word in the catalogue)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def new_action_id() -> str:
    return secrets.token_urlsafe(16)


def checked_action_id(value: str | None) -> str:
    if not value or not ACTION_ID.fullmatch(value):
        raise ActionRefused("action_invalid", "the action id is missing or malformed")
    return value


@dataclass(frozen=True)
class Recipient:
    person: Person
    units: tuple[str, ...]
    activities: tuple[str, ...] = ()


def owner_contacts(session: Session, activity: t.Activity) -> list[Recipient]:
    """The contacts of the activity's responsible units, once each."""
    units = {u.key: u.name for u in session.scalars(
        select(t.Unit).where(t.Unit.plan_id == activity.plan_id))}
    found: dict[str, Recipient] = {}
    for contact in session.scalars(select(t.Contact).where(
            t.Contact.plan_id == activity.plan_id, t.Contact.kind == ContactKind.CONTACT,
            t.Contact.archived.is_(False), t.Contact.unit_key.in_(activity.owner_keys))
            .order_by(t.Contact.id)):
        email = contact.email.lower()
        unit = units.get(contact.unit_key, contact.unit_key)
        known = found.get(email)
        found[email] = Recipient(person(contact), (known.units if known else ()) + (unit,))
    return list(found.values())


def reminder_due(session: Session, activity: t.Activity, today: date) -> tuple[str | None,
                                                                                date | None]:
    """The occurrence a reminder is about: the earliest overdue, else the next."""
    schedule = schedule_from_json(activity.schedule)
    calendar = plan_calendar(activity.plan)
    statuses, _ = latest_statuses(session, [activity.id])
    resolved = {k for k, s in statuses.get(activity.id, {}).items() if Status(s).resolves}
    moved = accepted_dates(session, [activity.id]).get(activity.id, {})
    late = overdue_occurrences(schedule, calendar, date(activity.plan.period_start, 1, 1),
                               today, resolved, moved)
    if late:
        return late[0].key, late[0].due
    upcoming = next_due(schedule, calendar, today)
    if upcoming is None:
        return None, None
    return upcoming.key, moved.get(upcoming.key, upcoming.due)


def reminder_notices(session: Session, activity: t.Activity, action_id: str, by: str,
                     today: date) -> list[Notice]:
    occurrence, due = reminder_due(session, activity, today)
    return [Notice(key=f"coordinator|{action_id}|activity|{activity.id}|{r.person.email.lower()}",
                   plan_id=activity.plan_id, kind="manual_reminder", stage="manual",
                   recipient=r.person, planned_day=today, activity_id=activity.id,
                   occurrence_key=occurrence, due=due, detail={"action": action_id, "by": by})
            for r in owner_contacts(session, activity)]


def remind_activity(session: Session, activity: t.Activity, action_id: str, by: str,
                    now: datetime, today: date) -> QueueResult:
    """Queue a reminder to each owner contact (once per action id)."""
    notices = reminder_notices(session, activity, checked_action_id(action_id), by, today)
    if not notices:
        raise ActionRefused("no_contacts", "the activity's owners have no contacts")
    result = queue_notices(session, notices, now, today)
    if result.items:
        session.add(t.ActivityEvent(activity_id=activity.id, at=now, kind="reminded_now",
                                    detail={"by": by, "recipients": result.items,
                                            "action": action_id}))
    return result


def round_recipients(session: Session, plan: t.Plan) -> tuple[t.ReportingRound,
                                                               list[Recipient]]:
    """The open round and each contact still missing answers, with their activities."""
    row = find_open_round(session, plan)
    if row is None:
        raise ActionRefused("no_open_round", f"plan {plan.slug!r} has no open reporting round")
    facts, activities = round_facts(session, row)
    found: dict[str, Recipient] = {}
    for owner in facts.owners:
        if not owner.missing_ids:
            continue
        keys = tuple(activities[a].key for a in owner.missing_ids)
        for contact in owner.contacts:
            email = contact.email.lower()
            known = found.get(email, Recipient(contact, ()))
            found[email] = Recipient(contact, (*known.units, owner.name),
                                     tuple(dict.fromkeys(known.activities + keys)))
    return row, sorted(found.values(), key=lambda r: r.person.name.casefold())


def round_reminder_notices(row: t.ReportingRound, recipients: list[Recipient],
                           action_id: str, by: str, today: date) -> list[Notice]:
    return [Notice(key=f"coordinator|{action_id}|round|{row.id}|{r.person.email.lower()}",
                   plan_id=row.plan_id, kind="round_reminder", stage="manual",
                   recipient=r.person, planned_day=today, due=row.deadline,
                   detail={"round": row.id, "year": row.year, "action": action_id, "by": by})
            for r in recipients]


def remind_round(session: Session, plan: t.Plan, action_id: str, by: str, now: datetime,
                 today: date) -> QueueResult:
    """Queue a round reminder to everyone missing, and note it on each activity."""
    action_id = checked_action_id(action_id)
    row, recipients = round_recipients(session, plan)
    if not recipients:
        raise ActionRefused("nobody_missing", "everyone has answered the round")
    result = queue_notices(session, round_reminder_notices(row, recipients, action_id, by,
                                                           today), now, today)
    if result.items:
        ids = {a.key: a.id for a in session.scalars(select(t.Activity).where(
            t.Activity.plan_id == plan.id))}
        for recipient in recipients:
            for key in recipient.activities:
                session.add(t.ActivityEvent(
                    activity_id=ids[key], at=now, kind="round_reminder_queued",
                    detail={"recipient": recipient.person.email, "by": by, "round": row.id,
                            "planned_day": today.isoformat(), "stage": "manual"}))
    return result


def decision_notices(session: Session, change: t.DateChange, activity: t.Activity,
                     by: str, today: date) -> list[Notice]:
    """Tell the owners' contacts how their proposal was decided, and why."""
    accepted = change.decision == "accepted"
    due = change.proposed_date if accepted else change.original_due
    return [Notice(key=f"date_decision|{change.id}|{r.person.email.lower()}",
                   plan_id=activity.plan_id, kind=f"date_{change.decision}", stage="decision",
                   recipient=r.person, planned_day=today,
                   activity_id=activity.id, occurrence_key=change.occurrence_key, due=due,
                   detail={"reason": change.decision_reason or "", "by": by,
                           "proposed": change.proposed_date.isoformat()})
            for r in owner_contacts(session, activity)]


def decide_and_tell(session: Session, change: t.DateChange, accept: bool, reason: str,
                    by: str, now: datetime, today: date) -> QueueResult:
    """Decide a proposed date (a reason is required) and queue the owners' email."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("decision_reason_required", "a decision needs a reason")
    if len(reason) > 2000:
        raise ActionRefused("decision_reason_too_long", "the reason is over 2000 characters")
    decide_date(session, change, accept, by, now, reason=reason)
    activity = session.get_one(t.Activity, change.activity_id)
    return queue_notices(session, decision_notices(session, change, activity, by, today),
                         now, today)


__all__ = ["ActionRefused", "Recipient", "RoundError", "decide_and_tell", "new_action_id",
           "remind_activity", "remind_round", "round_recipients"]
