"""The activity lines of many plans, kept between requests and recomputed
only for the plans whose data changed.

An organisation's dashboard shows 300 plans' lines; computing them all takes
seconds, and they rarely change. Each request reads a few cheap watermarks
(the newest event, report, date change and sent email; every plan's load
stamp and reporting rounds; today). When they differ from the last request,
the rows added since the old watermarks name the plans that changed, and
only those are computed again. Rows are looked up a little below the old
watermark, so a PostgreSQL transaction that took its id earlier but
committed later is still seen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.reporting.activity_lines import ActivityLine, plan_lines
from lokflow.store import tables as t

ID_SLACK = 200
T = TypeVar("T")
TIME_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Watermarks:
    today: date
    event_id: int
    report_id: int
    change_id: int
    sent_at: datetime | None
    plans: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    rounds: dict[int, tuple[Any, ...]] = field(default_factory=dict)


def read_watermarks(session: Session, today: date) -> Watermarks:
    rounds: dict[int, list[tuple[Any, ...]]] = {}
    for row in session.execute(select(
            t.ReportingRound.plan_id, t.ReportingRound.year, t.ReportingRound.status,
            t.ReportingRound.opened_at, t.ReportingRound.counts_from)
            .order_by(t.ReportingRound.id)):
        rounds.setdefault(row[0], []).append(tuple(row[1:]))
    newest = session.execute(select(
        select(func.max(t.ActivityEvent.id)).scalar_subquery(),
        select(func.max(t.StatusReport.id)).scalar_subquery(),
        select(func.max(t.DateChange.id)).scalar_subquery(),
        select(func.max(t.OutboxMessage.sent_at)).scalar_subquery())).one()
    return Watermarks(
        today=today, event_id=newest[0] or 0, report_id=newest[1] or 0,
        change_id=newest[2] or 0, sent_at=newest[3],
        plans={row[0]: tuple(row[1:]) for row in session.execute(select(
            t.Plan.id, t.Plan.loaded_at, t.Plan.content_hash, t.Plan.archived))},
        rounds={k: tuple(v) for k, v in rounds.items()})


def changed_plans(session: Session, old: Watermarks, new: Watermarks) -> set[int] | None:
    """The plans whose lines may differ between two watermarks (None: all)."""
    if old.today != new.today:
        return None
    found = {p for p in new.plans.keys() | old.plans.keys()
             if new.plans.get(p) != old.plans.get(p)}
    found |= {p for p in new.rounds.keys() | old.rounds.keys()
              if new.rounds.get(p) != old.rounds.get(p)}
    for table, mark, new_mark in ((t.ActivityEvent, old.event_id, new.event_id),
                                  (t.StatusReport, old.report_id, new.report_id),
                                  (t.DateChange, old.change_id, new.change_id)):
        if new_mark != mark:
            found |= set(session.scalars(
                select(t.Activity.plan_id).distinct()
                .join(table, table.activity_id == t.Activity.id)
                .where(table.id > mark - ID_SLACK)))
    if new.sent_at != old.sent_at and new.sent_at is not None:
        since = old.sent_at - TIME_SLACK if old.sent_at else None
        query = (select(t.OutboxItem.plan_id).distinct()
                 .join(t.OutboxMessage, t.OutboxMessage.id == t.OutboxItem.message_id)
                 .where(t.OutboxItem.kind == "escalation"))
        if since is not None:
            query = query.where(t.OutboxMessage.sent_at > since)
        found |= set(session.scalars(query))
    return found


class LineCache:
    """Per process: the lines of each plan as of the last watermarks, and what
    pages derive from them (a plan's counts), kept until the lines change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._marks: Watermarks | None = None
        self._lines: dict[int, list[ActivityLine]] = {}
        self._version: dict[int, int] = {}
        self._derived: dict[tuple[int, str], tuple[int, Any]] = {}
        self._counter = 0

    def lines(self, session: Session, plan_ids: Collection[int],
              today: date) -> dict[int, list[ActivityLine]]:
        """The lines of `plan_ids`, computing only what is missing or changed."""
        marks = read_watermarks(session, today)
        with self._lock:
            if self._marks is None:
                self._lines.clear()
            elif marks != self._marks:
                changed = changed_plans(session, self._marks, marks)
                if changed is None:
                    self._lines.clear()
                for plan_id in changed or ():
                    self._lines.pop(plan_id, None)
            self._marks = marks
            missing = [p for p in plan_ids if p not in self._lines]
            if missing:
                self._lines.update(plan_lines(session, missing, today))
                for plan_id in missing:
                    self._counter += 1
                    self._version[plan_id] = self._counter
            return {p: self._lines[p] for p in plan_ids}

    def derived(self, session: Session, plan_ids: Collection[int], today: date, name: str,
                compute: Callable[[int, list[ActivityLine]], T]) -> dict[int, T]:
        """`compute(plan id, lines)` for each plan, recomputed only when its lines were."""
        lines = self.lines(session, plan_ids, today)
        found: dict[int, T] = {}
        for plan_id in plan_ids:
            with self._lock:
                version = self._version.get(plan_id, 0)
                known = self._derived.get((plan_id, name))
            if known is not None and known[0] == version:
                found[plan_id] = known[1]
                continue
            found[plan_id] = compute(plan_id, lines[plan_id])
            with self._lock:
                self._derived[(plan_id, name)] = (version, found[plan_id])
        return found
