"""First start on the five seed plans, replayed day by day through the real
database, outbox and sender (maildir): no escalation precedes a notice to the
same occurrence's owners, and each level waits for the one before it."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import MaildirTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.store import tables as t
from tests.conftest import PLANS, FixedClock

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def replay(app: App, clock: FixedClock, first: date, days: int) -> None:
    plans, errors = read_plans(sorted(PLANS.glob("*.yaml")))
    assert not errors
    clock.at = datetime.combine(first, time(6, 0), STOCKHOLM)
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
    sender = OutboxSender(app, lambda: MaildirTransport(app.settings.maildir))
    for n in range(days):
        day = first + timedelta(days=n)
        clock.at = datetime.combine(day, time(7, 30), STOCKHOLM)
        with app.sessions.begin() as session:
            decide_and_queue(session, app.now(), day, zone=STOCKHOLM)
        asyncio.run(sender.run())


@pytest.mark.parametrize("first", [date(2026, 11, 30), date(2024, 2, 1)])
def test_first_start_never_escalates_before_the_owners_are_told(
    app: App, clock: FixedClock, first: date
) -> None:
    replay(app, clock, first, 75)
    with app.sessions() as session:
        items = session.execute(
            select(t.OutboxItem.activity_id, t.OutboxItem.occurrence_key, t.OutboxItem.kind,
                   t.OutboxItem.level, t.OutboxItem.planned_day, t.OutboxItem.detail,
                   t.OutboxMessage.status, t.OutboxMessage.sent_at)
            .join(t.OutboxMessage, t.OutboxMessage.id == t.OutboxItem.message_id)
            .where(t.OutboxItem.kind.in_(("reminder", "late", "escalation")))
            .order_by(t.OutboxItem.id)).all()
    per_occurrence: dict[tuple[int, str], list[tuple[str, int, date, str]]] = defaultdict(list)
    for activity, occurrence, kind, level, planned, detail, status, _ in items:
        assert status == "sent"
        per_occurrence[(activity, occurrence)].append((kind, level, planned, detail["to"]))
    escalated = 0
    for notices in per_occurrence.values():
        owners_told = min((p for _, _, p, to in notices if to == "owners"), default=None)
        for _kind, _level, planned, to in notices:
            if to != "owners":
                escalated += 1
                assert owners_told is not None and owners_told < planned, notices
        levels = {level: planned for kind, level, planned, _ in notices if level}
        for level, planned in levels.items():
            if level - 1 in levels:
                assert planned > levels[level - 1]
    late = [n for found in per_occurrence.values() for n in found if n[0] == "late"]
    assert late and all(planned == first for _, _, planned, _ in late)
    assert escalated  # the replay reaches the escalation contacts
    bodies = [message_from_bytes(p.read_bytes(), policy=policy.default)
              .get_body(("plain",)).get_content()  # type: ignore[union-attr]
              for p in (app.settings.maildir / "new").iterdir()]
    to_escalation = [b for b in bodies if "Du får detta som " in b]
    assert to_escalation
    assert not any("där du är kontaktperson" in b or "eftersom du är kontaktperson" in b
                   for b in to_escalation)


def test_first_make_run_today_sends_late_notices_not_escalations(
    app: App, clock: FixedClock
) -> None:
    """The case of issue 13: on 30 Nov 2026 Tierp's items due 15 Nov go to
    their owners as late notices; nobody else hears of them that day."""
    replay(app, clock, date(2026, 11, 30), 1)
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in (app.settings.maildir / "new").iterdir()]
    with app.sessions() as session:
        kinds = {(k, d["to"]) for k, d in session.execute(
            select(t.OutboxItem.kind, t.OutboxItem.detail)
            .where(t.OutboxItem.kind.in_(("late", "escalation"))))}
    assert kinds == {("late", "owners")}
    bodies = [m.get_body(("plain",)).get_content() for m in mails]  # type: ignore[union-attr]
    assert any("Sen avisering: tidpunkten 15 november 2026 har redan passerat" in b
               for b in bodies)
