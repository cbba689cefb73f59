"""Rendered feeds, kept in the web process by (subscription, data stamp).

Calendar clients poll every few hours, and writing 1,000 events with the
icalendar library takes about half a second. The stamp is a handful of
aggregates over the organisation's data (each plan's content hash and last
change, last activity change, last report, last date decision, last round
change) plus the day,
which moves the window: any change that could alter a feed changes the stamp,
so a cached feed is never stale, and an unchanged feed answers in
milliseconds, 304 included.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.store import tables as t


def data_stamp(session: Session, organisation_id: int, today: date) -> tuple[Any, ...]:
    plans = select(t.Plan.id).where(t.Plan.organisation_id == organisation_id)
    activities = select(t.Activity.id).where(t.Activity.plan_id.in_(plans))
    row = session.execute(select(
        select(func.max(t.Plan.loaded_at)).where(
            t.Plan.organisation_id == organisation_id).scalar_subquery(),
        select(func.count()).where(t.Plan.organisation_id == organisation_id,
                                   t.Plan.archived.is_(False)).scalar_subquery(),
        select(func.max(t.Activity.updated_at)).where(
            t.Activity.plan_id.in_(plans)).scalar_subquery(),
        select(func.max(t.StatusReport.id)).where(
            t.StatusReport.activity_id.in_(activities)).scalar_subquery(),
        select(func.max(t.DateChange.id)).where(
            t.DateChange.activity_id.in_(activities)).scalar_subquery(),
        select(func.max(t.DateChange.decided_at)).where(
            t.DateChange.activity_id.in_(activities)).scalar_subquery(),
        select(func.max(t.ReportingRound.id)).where(
            t.ReportingRound.plan_id.in_(plans)).scalar_subquery(),
        select(func.max(t.ReportingRound.opened_at)).where(
            t.ReportingRound.plan_id.in_(plans)).scalar_subquery(),
        select(func.max(t.ReportingRound.closed_at)).where(
            t.ReportingRound.plan_id.in_(plans)).scalar_subquery(),
        select(func.count()).where(t.ReportingRound.plan_id.in_(plans),
                                   t.ReportingRound.status == "open").scalar_subquery(),
    )).one()
    versions = session.execute(select(t.Plan.id, t.Plan.content_hash).where(
        t.Plan.organisation_id == organisation_id).order_by(t.Plan.id)).all()
    return (today.isoformat(), *(str(value) for value in row), *map(tuple, versions))


class FeedCache:
    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
