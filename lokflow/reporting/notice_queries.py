"""What the outbox has sent about each occurrence, in one grouped query: the
engine's escalation history and the overdue views' "level reached"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from lokflow.domain.notice_history import HistoryKey, OccurrenceHistory, SentNotice, build_history
from lokflow.store import tables as t

NOTICE_KINDS = ("reminder", "late", "escalation")
DONE = ("sent", "failed")  # a failed message was tried: its coordinator is told
WAITING = ("queued", "sending")


def sent_notices(session: Session, activities: Any | None, since: date,
                 zone: ZoneInfo) -> list[SentNotice]:
    """Per occurrence, kind and level: the first day it went out (the day it
    was sent, or planned if it failed) and whether any of it still waits.
    `activities` is a where-clause over activities, an id list, or None for
    every activity (the daily sweep: no per-activity lookups, one range scan
    of the outbox by `due`, which its index bounds however old the outbox)."""
    item, message = t.OutboxItem, t.OutboxMessage
    query = (
        select(item.activity_id, item.occurrence_key, item.kind, item.level,
               func.min(case((message.status == "sent", message.sent_at))),
               func.min(case((message.status == "failed", item.planned_day))),
               func.max(case((message.status.in_(WAITING), 1), else_=0)))
        .join(message, message.id == item.message_id)
        .where(item.kind.in_(NOTICE_KINDS), item.due >= since)
        .group_by(item.activity_id, item.occurrence_key, item.kind, item.level))
    if isinstance(activities, list):
        query = query.where(item.activity_id.in_(activities))
    elif activities is not None:
        query = query.where(item.activity_id.in_(select(t.Activity.id).where(activities)))
    found = []
    for activity_id, occurrence, kind, level, sent_at, failed_day, waiting in session.execute(
            query):
        days = [d for d in (_local_day(sent_at, zone), _as_date(failed_day)) if d]
        if days:
            found.append(SentNotice(activity_id, occurrence, kind, level, min(days)))
        if waiting:
            found.append(SentNotice(activity_id, occurrence, kind, level, since, pending=True))
    return found


def notice_history(session: Session, activities: Any | None, since: date,
                   zone: ZoneInfo) -> dict[HistoryKey, OccurrenceHistory]:
    """The decision's history of every occurrence due on or after `since`."""
    return build_history(sent_notices(session, activities, since, zone))


def _local_day(moment: datetime | str | None, zone: ZoneInfo) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite's MIN() of a stored timestamp
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
