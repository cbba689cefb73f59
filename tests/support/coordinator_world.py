"""A lived-in LÖK for the coordinator's browser journey and the README's
screenshots: Tierp's plan with the last months replayed day by day (the
engine's reminders and escalations, delivered to a maildir), some status
reports, a proposed date waiting, and a coordinator account."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from lokflow.access.accounts import add_user
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import MaildirTransport
from lokflow.domain.statuses import Status
from lokflow.engine.due_run import decide_and_queue
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.settings import Settings
from tests.support.real_contacts import with_real_contacts
from tests.support.reporting import PASSWORD, load

TIERP = Path(__file__).resolve().parents[2] / "plans" / "tierp.yaml"
ACTIVITY = "kommun-3.2"       # yearly, never reported: overdue, reminded and escalated
PROPOSING = "kommun-5.2"      # a proposed new date waits for the coordinator
REPORTS = [("kommun-1.2", Status.IN_PROGRESS, 40, "Informationen ligger på intranätet."),
           ("kommun-2.1", Status.DONE, 100, "Tre exempel spridda i nyhetsbrevet."),
           ("kommun-3.1", Status.DELAYED, 20, "Väntar på nämndens beslut."),
           ("civil-1.1", Status.IN_PROGRESS, 60, "Föreningarna har träffats två gånger."),
           ("civil-2.2", Status.NOT_STARTED, None, None),
           ("kommun-4.1", Status.PAUSED, 30, "Pausat under omorganisationen.")]


@dataclass(frozen=True)
class World:
    home: Path
    today: date
    username: str = "anna"
    password: str = PASSWORD


def _replay(app: App, clock: FixedClock, first: date, last: date) -> None:
    """The engine and the sender on each day, as the scheduled flows would run."""
    zone = app.settings.tz
    sender = OutboxSender(app, lambda: MaildirTransport(app.settings.maildir))
    day = first
    while day <= last:
        clock.at = datetime.combine(day, time(7, 30), zone)
        with app.sessions.begin() as session:
            run = decide_and_queue(session, app.now(), day, zone=zone)
        if run.queued.items:
            asyncio.run(sender.run())
        day += timedelta(days=1)


def _report(app: App, key: str, status: Status, progress: int | None, comment: str | None,
            **extra: object) -> None:
    from lokflow.store import tables as t

    with app.sessions.begin() as session:
        activity = session.scalars(select(t.Activity).where(t.Activity.key == key)).one()
        record_report(session, activity, ReportInput(
            status=status, reporter_name="Föreningsrådets ordförande" if key.startswith("civil")
            else "Samordnare för civilsamhällesfrågor", channel="web", progress=progress,
            comment=comment, **extra), app.now(), app.today())  # type: ignore[arg-type]


def build_world(home: Path, today: date, days: int = 120) -> World:
    """Tierp's last `days` days up to yesterday, and a coordinator account."""
    clock = FixedClock(datetime.combine(today - timedelta(days=days), time(6), UTC))
    # The coordinator has confirmed the contacts: the journey's email goes over SMTP.
    plans = with_real_contacts(home.parent / "plans", ("tierp",))
    settings = Settings(home=home, database_url="", smtp_url="", plans_dir=plans,
                        _env_file=None)  # type: ignore[call-arg]
    app = bootstrap(settings, clock=clock)
    try:
        load(app, plans / TIERP.name)
        _replay(app, clock, today - timedelta(days=days), today - timedelta(days=1))
        clock.at = datetime.combine(today - timedelta(days=3), time(10), UTC)
        for key, status, progress, comment in REPORTS:
            _report(app, key, status, progress, comment)
        _report(app, PROPOSING, Status.DELAYED, 10, "Lokalen är inte klar.",
                proposed_date=today + timedelta(days=60),
                proposed_reason="Lokalen renoveras till våren.")
        with app.sessions.begin() as session:
            add_user(session, "anna", PASSWORD, "Anna Andersson", "tierp", app.now())
    finally:
        app.close()
    return World(home=home, today=today)
