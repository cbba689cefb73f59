"""Rendered public pages, kept in the web process by (plan, format,
language, data stamp), like the calendar feeds (feeds/cache.py).

The stamp is a handful of aggregates over what the page shows: the plan's
content hash and load time, its activities' last change, its last status
report, date decision and joint confirmation, its published reports, and
the day. Any change that could alter the page changes the stamp, so a
cached page is never stale; an unchanged one answers from memory, 304
included."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.store import tables as t


class PublicCache:
    """A bounded LRU of answers, shared by the web process's threads."""

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Any, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Answer | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: Answer) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    etag: str
    last_modified: datetime

    @classmethod
    def of(cls, body: bytes, media_type: str, last_modified: datetime) -> Answer:
        return cls(body, media_type, f'"{hashlib.sha256(body).hexdigest()[:32]}"',
                   last_modified)


@dataclass(frozen=True)
class PlanRow:
    id: int
    stamp: tuple[Any, ...]


def plan_row(session: Session, slug: str, today: date) -> PlanRow | None:
    """The plan's id and its data stamp, in one query, without its document."""
    plan = select(t.Plan.id).where(t.Plan.slug == slug).scalar_subquery()
    activities = select(t.Activity.id).where(t.Activity.plan_id == plan)
    found = session.execute(select(
        t.Plan.id, t.Plan.content_hash, t.Plan.loaded_at, t.Plan.archived,
        select(func.max(t.Activity.updated_at)).where(
            t.Activity.plan_id == plan).scalar_subquery(),
        select(func.max(t.StatusReport.id)).where(
            t.StatusReport.activity_id.in_(activities)).scalar_subquery(),
        select(func.max(t.DateChange.decided_at)).where(
            t.DateChange.activity_id.in_(activities)).scalar_subquery(),
        select(func.max(t.JointConfirmation.id)).where(
            t.JointConfirmation.activity_id.in_(activities)).scalar_subquery(),
        select(func.count()).where(t.PublishedReport.plan_id == plan).scalar_subquery(),
        select(func.max(t.PublishedReport.id)).where(
            t.PublishedReport.plan_id == plan).scalar_subquery(),
        select(func.max(t.Meeting.minutes_at)).where(  # issue 17, part two: minutes
            t.Meeting.plan_id == plan).scalar_subquery(),
    ).where(t.Plan.slug == slug)).first()
    if found is None:
        return None
    return PlanRow(found[0], (today.isoformat(), *(str(v) for v in found[1:])))
