"""Issue 12: a peak day's notices are queued by a few bulk statements (COPY
on PostgreSQL). They must leave exactly the rows that queueing them one by
one leaves: the same items on the same messages, the same new message where
the day's first is already claimed, the same history events, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lokflow.benchmarks.dataset import plan_files
from lokflow.bootstrap import bootstrap
from lokflow.engine.due_run import decide_due
from lokflow.engine.outbox import Notice, notices_from_actions, queue_notices
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FixedClock

DAY = date(2023, 12, 1)  # every activity of the generated plans is due on 31 Dec 2023
NOW = datetime(2023, 12, 1, 6, 30, tzinfo=UTC)


def snapshot(session: Session) -> dict[str, Any]:
    """The outbox and history without ids: what each row says."""
    keys = dict(session.execute(select(t.OutboxMessage.id, t.OutboxMessage.key)).all())
    items = sorted(
        (i.key, i.plan_id, i.activity_id, i.occurrence_key, i.due, i.kind, i.stage, i.level,
         i.recipient_email, i.recipient_name, i.language, i.planned_day, i.created_at,
         repr(i.detail), keys.get(i.message_id or 0))
        for i in session.scalars(select(t.OutboxItem)))
    messages = sorted(
        (m.key, m.recipient_email, m.recipient_name, m.language, m.day, m.status, m.attempts,
         m.next_attempt_at) for m in session.scalars(select(t.OutboxMessage)))
    events = sorted((e.activity_id, e.kind, repr(sorted(e.detail.items())), e.at)
                    for e in session.scalars(select(t.ActivityEvent)))
    return {"items": items, "messages": messages, "events": events}


def queue_day(session: Session, notices: list[Notice], one_by_one: bool) -> dict[str, Any]:
    """A third queued earlier, one of those messages then claimed by a sender,
    then the whole day (again: the known ones are skipped)."""
    earlier, later = notices[::3], [n for i, n in enumerate(notices) if i % 3]
    queue_notices(session, earlier, NOW, DAY)
    both = sorted({n.recipient.email.lower() for n in earlier}
                  & {n.recipient.email.lower() for n in later})
    session.execute(update(t.OutboxMessage).where(t.OutboxMessage.recipient_email == both[0])
                    .values(status="sending", attempts=1))
    if one_by_one:
        results = [queue_notices(session, [notice], NOW, DAY) for notice in notices]
        counts = (sum(r.items for r in results), len(set().union(*(r.messages for r in results))))
    else:
        result = queue_notices(session, notices, NOW, DAY)
        counts = (result.items, len(result.messages))
    return {"counts": counts, **snapshot(session)}


def test_bulk_queueing_leaves_the_rows_one_by_one_queueing_leaves(
    either_settings: Settings, clock: FixedClock
) -> None:
    app = bootstrap(either_settings, clock=clock)
    try:
        with app.sessions.begin() as session:
            sync_plans(session, plan_files(3, 12, everything_due="2023"), clock)
        with app.sessions() as session:
            actions = decide_due(session, DAY, app.settings.tz)
            notices = notices_from_actions(session, actions)
        assert len(notices) > 50 and len({n.recipient.email for n in notices}) > 5
        outcomes = []
        for one_by_one in (False, True):
            with app.sessions() as session:  # rolled back: both start from the same rows
                outcomes.append(queue_day(session, notices, one_by_one))
                session.rollback()
        bulk, per_row = outcomes
        assert bulk["counts"][0] == len(notices) - len(notices[::3])
        assert bulk == per_row
        assert any(m[0].endswith("|2") for m in bulk["messages"])  # the claimed one's successor
    finally:
        app.close()
