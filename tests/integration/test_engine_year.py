"""A whole year on the real Tierp plan: the database, the decision function,
the outbox and a real SMTP server on 127.0.0.1, with a fixed clock moved
day by day. The expected reminders are worked out by hand from the plan."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.store import tables as t
from tests.conftest import FixedClock
from tests.support.real_contacts import with_real_contacts
from tests.support.smtp_server import SmtpServer

STOCKHOLM = ZoneInfo("Europe/Stockholm")
KOMMUN = "lok-samordnare@tierp.example.org"
RADET = "foreningsradet@tierp.example.org"

# Yearly items fall due on the plan's annual date, Wed 15 Nov 2023: reminders
# 30 days before (Mon 16 Oct), 7 days before (Wed 8 Nov), 1 working day before
# (Tue 14 Nov). Items due by the end of 2023 (Sun 31 Dec): Fri 1 Dec, Sun 24 Dec
# -> Fri 22 Dec, and the working day before 31 Dec -> Fri 29 Dec. The annual
# accounts item (3.3) has its own day, Fri 31 March: Wed 1 Mar, Fri 24 Mar and
# Thu 30 Mar.
YEARLY = {"kommun-3.2": [KOMMUN], "kommun-6.1": [KOMMUN], "kommun-9.1": [KOMMUN],
          "civil-4.2": [RADET]}
SPRING = {"kommun-3.3": [KOMMUN]}
YEAR_END = {"kommun-1.1": [KOMMUN], "kommun-1.3": [KOMMUN], "kommun-3.1": [KOMMUN],
            "kommun-5.2": [KOMMUN, RADET], "kommun-7.1": [KOMMUN], "kommun-8.1": [KOMMUN],
            "civil-5.1": [RADET]}
EXPECTED = {
    (activity, stage, day, email)
    for group, days in ((YEARLY, {"d30": date(2023, 10, 16), "d7": date(2023, 11, 8),
                                  "w1": date(2023, 11, 14)}),
                        (YEAR_END, {"d30": date(2023, 12, 1), "d7": date(2023, 12, 22),
                                    "w1": date(2023, 12, 29)}),
                        (SPRING, {"d30": date(2023, 3, 1), "d7": date(2023, 3, 24),
                                  "w1": date(2023, 3, 30)}))
    for activity, emails in group.items()
    for stage, day in days.items()
    for email in emails
}


def test_a_year_of_tierp_gives_exactly_the_expected_reminders(
    app: App, clock: FixedClock, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    # Contacts confirmed as real: placeholders are never sent over SMTP.
    plans, errors = read_plans([with_real_contacts(tmp_path / "plans", ("tierp",))])
    assert not errors
    clock.at = datetime(2022, 12, 31, 12, tzinfo=UTC)
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)
    smtp = SmtpSettings.from_url(smtp_server.url)
    sender = OutboxSender(app, lambda: SmtpTransport(smtp))
    day = date(2023, 1, 1)
    while day <= date(2023, 12, 31):
        clock.at = datetime.combine(day, time(7, 30), STOCKHOLM)
        with app.sessions.begin() as session:
            decide_and_queue(session, app.now(), day, zone=app.settings.tz)
        asyncio.run(sender.run())
        day += timedelta(days=1)

    with app.sessions() as session:
        rows = session.execute(
            select(t.Activity.key, t.OutboxItem.stage, t.OutboxItem.planned_day,
                   t.OutboxItem.recipient_email)
            .join(t.Activity, t.Activity.id == t.OutboxItem.activity_id)
            .where(t.OutboxItem.kind == "reminder")).all()
        unsent = session.scalar(select(t.OutboxMessage.id).where(
            t.OutboxMessage.status != "sent"))
    assert set(map(tuple, rows)) == EXPECTED
    assert len(rows) == len(EXPECTED) == 39
    assert unsent is None

    # One email per person per day, never two: bundles, not storms.
    per_day = Counter((str(m["To"]), str(m["Date"])[:16]) for m in smtp_server.messages)
    assert per_day and max(per_day.values()) == 1
    assert len({str(m["Message-ID"]) for m in smtp_server.messages}) == len(smtp_server.messages)
    kommun = [m for m in smtp_server.messages if KOMMUN in str(m["To"])]
    assert {str(m["Date"])[:16] for m in kommun} >= {"Mon, 16 Oct 2023", "Fri, 01 Dec 2023"}
