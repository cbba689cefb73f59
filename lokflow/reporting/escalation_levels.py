"""Which escalation level an overdue occurrence has reached: the highest level
of an escalation notice whose email was actually sent (the outbox knows).

One small function on purpose: the overdue module of `reporting` can take
its place without touching the pages that show the level.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.store import tables as t

SENT = "sent"


def escalation_levels(session: Session,
                      plan_ids: Collection[int]) -> dict[tuple[int, str], int]:
    """(activity id, occurrence key) -> the highest escalation level sent."""
    if not plan_ids:
        return {}
    query = (select(t.OutboxItem.activity_id, t.OutboxItem.occurrence_key,
                    func.max(t.OutboxItem.level))
             .join(t.OutboxMessage, t.OutboxMessage.id == t.OutboxItem.message_id)
             .where(t.OutboxItem.plan_id.in_(list(plan_ids)),
                    t.OutboxItem.kind == "escalation", t.OutboxMessage.status == SENT)
             .group_by(t.OutboxItem.activity_id, t.OutboxItem.occurrence_key))
    return {(activity, occurrence or ""): level
            for activity, occurrence, level in session.execute(query) if activity is not None}
