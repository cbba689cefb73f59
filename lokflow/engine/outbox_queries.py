"""Read-side views of the outbox for `lokflow outbox` and the web app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.store import tables as t


@dataclass(frozen=True)
class MessageView:
    id: int
    day: date
    recipient: str
    status: str
    attempts: int
    items: int
    kinds: str
    subject: str | None
    sent_at: datetime | None
    error: str | None
    claimed_by: str | None = None
    claimed_until: datetime | None = None


def list_messages(
    session: Session, status: str | None = None, limit: int = 100
) -> list[MessageView]:
    counts = (select(t.OutboxItem.message_id, func.count().label("n"),
                     func.group_concat(t.OutboxItem.kind).label("kinds")
                     if session.bind and session.bind.dialect.name == "sqlite"
                     else func.string_agg(t.OutboxItem.kind, ",").label("kinds"))
              .group_by(t.OutboxItem.message_id).subquery())
    query = (select(t.OutboxMessage, counts.c.n, counts.c.kinds)
             .join(counts, counts.c.message_id == t.OutboxMessage.id, isouter=True)
             .order_by(t.OutboxMessage.id.desc()).limit(limit))
    if status:
        query = query.where(t.OutboxMessage.status == status)
    return [
        MessageView(m.id, m.day, m.recipient_email, m.status, m.attempts, n or 0,
                    ",".join(sorted(set((kinds or "").split(",")) - {""})), m.subject,
                    m.sent_at, m.last_error, m.claimed_by, m.claimed_until)
        for m, n, kinds in session.execute(query)
    ]
