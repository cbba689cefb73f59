"""After a dialogue meeting: the coordinator records the minutes and the
decisions. Each decision changes the plan (a new date, a new owner, a closed
activity, a new action point) and is written back as a plan revision of
source `meeting` whose origin names the meeting; the activity's history
gets an event, and the meeting keeps the decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.agreement.meeting_cycle import plan_document
from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.activity_names import labels_in
from lokflow.plans.plan_edits import checked
from lokflow.plans.plan_json import plan_data
from lokflow.plans.plan_messages import Problem
from lokflow.plans.revision_apply import apply_document
from lokflow.plans.revisions import Authored
from lokflow.reporting.free_text import free_text
from lokflow.store import tables as t
from lokflow.texts.dates import long_date
from lokflow.texts.meetings import meeting_words

Kind = Literal["new_date", "owner", "close", "action"]
KINDS: tuple[Kind, ...] = ("new_date", "owner", "close", "action")


@dataclass(frozen=True)
class Decision:
    """What the coordinator decided: `activity` for the first three kinds,
    `commitment` for an action point; `day`, `owner` and `text` as the kind needs."""

    kind: Kind
    activity: str | None = None
    commitment: str | None = None
    day: date | None = None
    owner: str | None = None
    text: str | None = None


class DecisionRefused(ValueError):
    """The decision would break the plan; nothing was written."""

    def __init__(self, problems: list[Problem] | None = None, code: str = "") -> None:
        super().__init__(code or "the decision breaks the plan")
        self.problems, self.code = problems or [], code


def save_minutes(meeting: t.Meeting, minutes: str, who: str, now: datetime) -> None:
    meeting.minutes = free_text(minutes, 20000)
    meeting.minutes_by, meeting.minutes_at = who[:300], now


def record_decision(session: Session, plan: t.Plan, meeting: t.Meeting, decision: Decision,
                    who: str, now: datetime) -> t.MeetingDecision:
    """Change the plan as decided, as one revision linked to the meeting."""
    document = plan_document(plan)
    language = document.language.value
    data = plan_data(document)
    key = _apply(data, decision, meeting.held_on, language)
    found = checked(data)
    if isinstance(found, list):
        raise DecisionRefused(found)
    words = meeting_words(language)
    reason = words["revision_reason"].format(day=long_date(meeting.held_on, language))
    applied = apply_document(session, found, Authored(who, "meeting", reason,
                                                     origin=f"meeting:{meeting.id}"), now)
    number = applied.revision.number if applied.revision is not None else None
    row = t.MeetingDecision(
        meeting_id=meeting.id, kind=decision.kind, activity_key=key,
        value=_value(decision), text=describe(decision, key, found, language),
        revision_number=number, decided_by=who[:300], created_at=now)
    session.add(row)
    meeting.revision_number = number or meeting.revision_number
    _history(session, plan, key, meeting, row, now)
    session.flush()
    return row


def _apply(data: dict[str, Any], decision: Decision, day: date, language: str) -> str:
    """Change the plan's data; the key of the activity it concerns."""
    if decision.kind == "action":
        return _add_action(data, decision, day, language)
    activity = _activity(data, decision.activity)
    if decision.kind == "new_date":
        if decision.day is None:
            raise DecisionRefused(code="day")
        activity["timeline"] = decision.day.isoformat()
    elif decision.kind == "owner":
        if not decision.owner:
            raise DecisionRefused(code="owner")
        activity["owners"] = [decision.owner]
    else:
        words = meeting_words(language)
        note = words["closed_note"].format(day=long_date(day, language), text=decision.text or "")
        activity["note"] = f"{activity['note']}\n{note}" if activity.get("note") else note
        activity["policy"] = {**(activity.get("policy") or {}), "enabled": False}
    return str(activity["id"])


def _activity(data: dict[str, Any], key: str | None) -> dict[str, Any]:
    for commitment in data["commitments"]:
        for activity in commitment.get("activities", []):
            if activity["id"] == key:
                return activity
    raise DecisionRefused(code="activity")


def _add_action(data: dict[str, Any], decision: Decision, day: date, language: str) -> str:
    if not (decision.text and decision.owner and decision.day and decision.commitment):
        raise DecisionRefused(code="action")
    commitment = next((c for c in data["commitments"] if c["id"] == decision.commitment), None)
    if commitment is None:
        raise DecisionRefused(code="commitment")
    taken = {a["id"] for c in data["commitments"] for a in c.get("activities", [])}
    number = 1
    while f"mote-{day.isoformat()}-{number}" in taken:
        number += 1
    key = f"mote-{day.isoformat()}-{number}"
    words = meeting_words(language)
    commitment.setdefault("activities", []).append({
        "id": key, "text": decision.text, "owners": [decision.owner],
        "timeline": decision.day.isoformat(),
        "note": words["action_text_prefix"].format(day=long_date(day, language))})
    return key


def _value(decision: Decision) -> dict[str, Any]:
    return {"day": decision.day.isoformat() if decision.day else None, "owner": decision.owner,
            "commitment": decision.commitment, "text": decision.text}


def describe(decision: Decision, key: str, document: PlanDocument, language: str) -> str:
    """The decision in one sentence, for the minutes, history and reports."""
    words = meeting_words(language)
    units = {u.id: u.name for u in document.units}
    owner = units.get(decision.owner or "", decision.owner or "")
    day = long_date(decision.day, language) if decision.day else ""
    key = labels_in(document, language).get(key, key)
    if decision.kind == "new_date":
        return words["decision_new_date"].format(activity=key, day=day)
    if decision.kind == "owner":
        return words["decision_owner"].format(activity=key, owner=owner)
    if decision.kind == "close":
        return words["decision_close"].format(activity=key, text=decision.text or "")
    return words["decision_action"].format(text=decision.text or "", owner=owner, day=day)


def _history(session: Session, plan: t.Plan, key: str, meeting: t.Meeting,
             row: t.MeetingDecision, now: datetime) -> None:
    activity = session.scalar(select(t.Activity).where(t.Activity.plan_id == plan.id,
                                                       t.Activity.key == key))
    if activity is not None:
        session.add(t.ActivityEvent(activity_id=activity.id, at=now, kind="meeting_decision",
                                    detail={"meeting": meeting.held_on.isoformat(),
                                            "decision": row.text,
                                            "revision": row.revision_number}))


def decisions_of(session: Session, meeting_id: int) -> list[t.MeetingDecision]:
    return list(session.scalars(select(t.MeetingDecision).where(
        t.MeetingDecision.meeting_id == meeting_id).order_by(t.MeetingDecision.id)))
