"""'Ta upp på dialogmötet': either party may ask for an activity (with a
status report) or a principle (with its assessment) to be discussed at the
next dialogue meeting; the next agenda lists it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lokflow.reporting.free_text import free_text
from lokflow.store import tables as t


def flag_activity(session: Session, activity: t.Activity, by: str, now: datetime,
                  note: str | None = None) -> t.DiscussionFlag:
    row = t.DiscussionFlag(plan_id=activity.plan_id, activity_id=activity.id, source="report",
                           note=free_text(note), flagged_by=by[:300], created_at=now)
    session.add(row)
    return row


def flag_principle(session: Session, plan_id: int, principle_key: str, by: str, now: datetime,
                   note: str | None = None) -> t.DiscussionFlag:
    row = t.DiscussionFlag(plan_id=plan_id, principle_key=principle_key or None,
                           source="assessment", note=free_text(note), flagged_by=by[:300],
                           created_at=now)
    session.add(row)
    return row
