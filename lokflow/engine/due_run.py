"""One pass of the engine: decide what is due and queue it, in one transaction.

The daily safety sweep runs it over every plan; a plan's scheduled flow runs
it over that plan. Both share `decide` and the outbox, so they can never
send the same notice twice.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lokflow.domain.due_actions import CATCH_UP_DAYS, LATE_HORIZON_DAYS, DueAction, decide
from lokflow.engine.activity_facts import active_activities, load_facts
from lokflow.engine.outbox import QueueResult, notices_from_actions, queue_notices, sent_keys
from lokflow.engine.reporting_rounds import RECENT_DAYS, auto_open_rounds, due_round_notices
from lokflow.reporting.notice_queries import notice_history


@dataclass
class DueRun:
    actions: list[DueAction]
    queued: QueueResult
    rounds: QueueResult | None = None


def decide_and_queue(
    session: Session,
    now: datetime,
    today: date,
    plans: Collection[str] | None = None,
    catch_up_days: int = CATCH_UP_DAYS,
    *,
    zone: ZoneInfo,
) -> DueRun:
    """Decide for `today` and queue every new notice (the caller commits)."""
    actions = decide_due(session, today, zone, plans, catch_up_days)
    return DueRun(actions=actions, queued=queue_actions(session, actions, now, today))


def decide_due(session: Session, today: date, zone: ZoneInfo,
               plans: Collection[str] | None = None,
               catch_up_days: int = CATCH_UP_DAYS) -> list[DueAction]:
    """What the activities of `plans` (or of all plans) owe today, decided once,
    given what was sent about each occurrence within the late horizon."""
    facts = load_facts(session, zone, plans)
    sent = sent_keys(session, today - timedelta(days=catch_up_days + 1))
    since = today - timedelta(days=LATE_HORIZON_DAYS + catch_up_days + 10)
    chosen = active_activities(session, plans) if plans else None  # None: every activity
    history = notice_history(session, chosen, since, zone)
    return decide(facts, sent, today, catch_up_days, history=history)


def queue_actions(session: Session, actions: list[DueAction], now: datetime,
                  today: date) -> QueueResult:
    """Write decided actions to the outbox (new ones only; the caller commits)."""
    return queue_notices(session, notices_from_actions(session, actions), now, today)


def sweep_everything(session: Session, now: datetime, today: date,
                     catch_up_days: int = CATCH_UP_DAYS, *, zone: ZoneInfo,
                     recent_days: int = RECENT_DAYS) -> DueRun:
    """The daily safety sweep: activities, then reporting rounds (opening those
    that are due), so a lost scheduled run of either is caught up."""
    run = decide_and_queue(session, now, today, catch_up_days=catch_up_days, zone=zone)
    auto_open_rounds(session, now, today, recent_days)
    run.rounds = due_round_notices(session, now, today, catch_up_days)
    return run
