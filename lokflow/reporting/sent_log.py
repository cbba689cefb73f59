"""What lokflow sent for a plan, notice by notice: when, to whom, about which
activity, and whether the email was delivered. Coordinators are asked "did
they get the reminder?"; the outbox keeps the answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lokflow.store import tables as t

KINDS = ("reminder", "checkin", "escalation", "late", "manual_reminder", "round_request",
         "round_reminder", "round_escalation", "assessment_request", "assessment_reminder",
         "meeting_agenda", "date_accepted", "date_rejected", "annual_report", "report_link",
         "delivery_failed")
STATUSES = ("queued", "sending", "sent", "failed", "cancelled")
LIMIT = 500


@dataclass(frozen=True)
class SentNotice:
    id: int
    planned_day: date
    created_at: datetime
    kind: str
    stage: str
    level: int
    recipient_name: str
    recipient_email: str
    activity_key: str | None
    activity_number: str | None
    activity_party: str | None
    due: date | None
    status: str
    sent_at: datetime | None
    attempts: int
    error: str | None


@dataclass(frozen=True)
class SentQuery:
    kind: str = ""
    status: str = ""
    text: str = ""
    day_from: date | None = None
    day_to: date | None = None
    activity_id: int | None = None

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> tuple[SentQuery, list[str]]:
        """The query, and the parameters that could not be used (left out)."""
        found: dict[str, Any] = {}
        problems = []
        for name, choices in (("kind", KINDS), ("status", STATUSES)):
            value = values.get(name, "")
            if value in choices:
                found[name] = value
            elif value:
                problems.append(name)
        text = values.get("q", "").strip()
        if len(text) <= 100 and text.isprintable():
            found["text"] = text
        else:
            problems.append("q")
        for name, field in (("from", "day_from"), ("to", "day_to")):
            raw = values.get(name, "")
            if raw:
                try:
                    found[field] = date.fromisoformat(raw) if len(raw) == 10 else None
                except ValueError:
                    found[field] = None
                if found[field] is None:
                    problems.append(name)
        return cls(**found), problems

    def params(self) -> dict[str, str]:
        found = {"kind": self.kind, "status": self.status, "q": self.text,
                 "from": self.day_from.isoformat() if self.day_from else "",
                 "to": self.day_to.isoformat() if self.day_to else ""}
        return {k: v for k, v in found.items() if v}


def sent_log(session: Session, plan_id: int, query: SentQuery,
             limit: int = LIMIT) -> tuple[list[SentNotice], int]:
    """The plan's notices, newest first (at most `limit`), and how many match."""
    item, message, activity = t.OutboxItem, t.OutboxMessage, t.Activity
    where = [item.plan_id == plan_id]
    if query.kind:
        where.append(item.kind == query.kind)
    if query.status:
        where.append(message.status == query.status)
    if query.text:
        pattern = f"%{query.text.casefold()}%"
        where.append(or_(func.lower(item.recipient_name).like(pattern),
                         func.lower(item.recipient_email).like(pattern),
                         func.lower(func.coalesce(activity.key, "")).like(pattern)))
    if query.day_from:
        where.append(item.planned_day >= query.day_from)
    if query.day_to:
        where.append(item.planned_day <= query.day_to)
    if query.activity_id is not None:
        where.append(item.activity_id == query.activity_id)
    joined = (select(item, message.status, message.sent_at, message.attempts,
                     message.last_error, activity.key, activity.number, activity.party)
              .outerjoin(message, message.id == item.message_id)
              .outerjoin(activity, activity.id == item.activity_id).where(*where))
    total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
    rows = session.execute(joined.order_by(item.planned_day.desc(), item.id.desc())
                           .limit(limit))
    return [SentNotice(
        id=i.id, planned_day=i.planned_day, created_at=i.created_at, kind=i.kind,
        stage=i.stage, level=i.level, recipient_name=i.recipient_name,
        recipient_email=i.recipient_email, activity_key=key, activity_number=number,
        activity_party=party, due=i.due, status=status or "queued", sent_at=sent_at,
        attempts=attempts or 0, error=error)
        for i, status, sent_at, attempts, error, key, number, party in rows], total
