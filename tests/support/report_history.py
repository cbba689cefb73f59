"""A realistic, deterministic history for annual-report tests: the bundled
plans loaded into a real database, then several years of status reports,
proposed and decided dates, and the engine's own reminders and escalations,
all through the real services with a FixedClock moved forward by hand."""

from __future__ import annotations

import asyncio
import random
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.bootstrap import App, bootstrap
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import MaildirTransport
from lokflow.domain.statuses import Status
from lokflow.engine.due_run import decide_and_queue
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.reporting.status_reports import (
    ReportInput,
    current_occurrence,
    decide_date,
    original_due,
    record_report,
)
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS, FixedClock
from tests.support.real_contacts import with_real_contacts
from tests.support.shared_runs import copy_of_built

# The follow-up year each bundled plan is reported for: its last period year,
# or 2024 for Tierp, whose period has no end.
REPORT_YEARS = {"tierp": 2024, "orebro": 2018, "lulea": 2022, "vasteras": 2024,
                "botkyrka": 2020}
HOSTILE = "<script>alert(1)</script> & =HYPERLINK(\"http://x\") *fet* [länk](x)"
REPORT_DAYS = ((3, 14), (6, 11), (10, 21), (11, 8))
COMMENTS = (
    "Arbetet går enligt plan; dialog med föreningarna under våren.",
    "Två träffar har hållits, en tredje planeras i höst.",
    "Klart och redovisat i samverkansgruppen.",
    "Vi inväntar beslut om finansiering från nämnden.",
    None,
)
OBSTACLES = ("Personalbrist under sommaren.", "Lokalfrågan är inte löst.", None, None)


@dataclass
class Seeded:
    """What the seeding did, for assertions that need to name one item."""

    hostile_activity: str = ""
    first_year: dict[str, int] = field(default_factory=dict)


def load_bundled_plans(app: App, clock: FixedClock) -> None:
    plans, errors = read_plans([PLANS])
    assert not errors, errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, clock)


def _next_status(rng: random.Random, previous: str | None, kind: str) -> Status:
    """Yearly items are mostly done; ongoing work mostly in progress; one-off
    work moves from not started towards done, with the odd delay or stop."""
    if kind in ("yearly", "rrule"):
        return rng.choice([Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.DELAYED])
    if kind in ("ongoing", "on_demand"):
        return rng.choice([Status.IN_PROGRESS] * 5 + [Status.DONE, Status.PAUSED,
                                                       Status.DELAYED])
    roll = rng.random()
    if previous is None:
        return Status.NOT_STARTED if roll < 0.3 else Status.IN_PROGRESS
    if roll < 0.35:
        return Status.DONE
    if roll < 0.45:
        return Status.DELAYED
    if roll < 0.5:
        return Status.PAUSED
    if roll < 0.53:
        return Status.CANCELLED
    return Status.IN_PROGRESS


def _report(rng: random.Random, status: Status, day: date, due: date | None,
            progress: int | None, occurrence: str) -> ReportInput:
    moved = None
    if status == Status.DELAYED and due is not None and rng.random() < 0.6:
        moved = max(day, due) + timedelta(days=rng.choice((45, 90, 150)))
    return ReportInput(
        status=status, reporter_name=rng.choice(("Anna Andersson", "Bo Berg", "Cecilia Ek")),
        channel=rng.choice(("web", "api", "cli")), progress=progress,
        comment=rng.choice(COMMENTS), obstacles=rng.choice(OBSTACLES), proposed_date=moved,
        occurrence_key=occurrence,
        proposed_reason="Beslut om medel dröjer; ny tidpunkt efter nämndens möte."
        if moved else None)


def seed_history(app: App, clock: FixedClock, slugs: tuple[str, ...] | None = None,
                 seed: int = 6, send_from_year: int | None = None) -> Seeded:
    """Report on about half the activities four times a year, decide the
    proposed dates a week later, and let the engine remind and escalate every
    other month, in time order, over each plan's years. Mail is sent from
    `send_from_year` on (default: each plan's report year only)."""
    seeded = Seeded()
    with app.sessions() as session:
        plans = [(p.slug, p.period_start) for p in session.scalars(select(t.Plan))]
    for slug, start in sorted(plans):
        if slugs and slug not in slugs:
            continue
        seeded.first_year[slug] = start
        last = REPORT_YEARS[slug]
        _seed_plan(app, clock, slug, (start, last), random.Random(f"{seed}{slug}"),
                   send_from_year or last)
    with app.sessions.begin() as session:
        target = session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == "tierp", t.Activity.key == "kommun-1.2")).first()
        if target is not None:
            clock.at = datetime(REPORT_YEARS["tierp"], 11, 12, 10, 0, tzinfo=UTC)
            record_report(session, target, ReportInput(
                status=Status.IN_PROGRESS, reporter_name="<b>Mallory</b>", channel="web",
                progress=50, comment=HOSTILE, obstacles="=1+2"), clock.at, clock.at.date())
            seeded.hostile_activity = target.key
    return seeded


def _moments(start: int, last: int) -> list[tuple[datetime, str]]:
    found = []
    for year in range(start, last + 1):
        for month in range(1, 13, 2):
            found.append((datetime(year, month, 1, 6, 0, tzinfo=UTC), "engine"))
        for month, day in REPORT_DAYS:
            found.append((datetime(year, month, day, 9, 30, tzinfo=UTC), "report"))
            found.append((datetime(year, month, day + 7, 9, 30, tzinfo=UTC), "decide"))
    return sorted(found)


def _seed_plan(app: App, clock: FixedClock, slug: str, years: tuple[int, int],
               rng: random.Random, send_from: int) -> None:
    """The engine runs every other month, catching up on the two months so
    every escalation is decided; the sender runs after it from `send_from` on
    (rendering mail is the slow part of seeding, and a report needs only some
    escalations sent and some not)."""
    state: dict[int, tuple[str | None, int]] = {}
    end = datetime(years[1], 11, 10, tzinfo=UTC)
    maildir = app.settings.maildir
    for moment, what in _moments(*years):
        if moment > end:
            break
        clock.at = moment
        if what == "engine":
            with app.sessions.begin() as session:
                decide_and_queue(session, moment, moment.date(), [slug], catch_up_days=62,
                                 zone=app.settings.tz)
            if moment.year >= send_from:
                asyncio.run(OutboxSender(app, lambda: MaildirTransport(maildir)).run())
            continue
        with app.sessions.begin() as session:
            if what == "decide":
                _decide(session, rng, slug, moment)
            else:
                _report_round(session, rng, slug, moment, state)


def _report_round(session: Session, rng: random.Random, slug: str, moment: datetime,
                  state: dict[int, tuple[str | None, int]]) -> None:
    activities = session.scalars(select(t.Activity).join(t.Plan).where(
        t.Plan.slug == slug, t.Activity.archived.is_(False)).order_by(t.Activity.position))
    for activity in activities:
        if rng.random() > 0.5:
            continue
        previous, progress = state.get(activity.id, (None, 0))
        kind = activity.schedule["kind"]
        if kind in ("deadline", "window") and previous in ("done", "cancelled"):
            continue
        status = _next_status(rng, previous, kind)
        recurring = kind in ("yearly", "rrule")
        progress = 100 if status == Status.DONE else min(95, progress + rng.choice((0, 10, 20)))
        occurrence = current_occurrence(session, activity, moment.date())
        due = original_due(activity, occurrence)
        report = _report(rng, status, moment.date(), due, None if recurring else progress,
                         occurrence)
        record_report(session, activity, report, moment, moment.date())
        state[activity.id] = (status.value, progress)


def _decide(session: Session, rng: random.Random, slug: str, moment: datetime) -> None:
    pending = session.scalars(select(t.DateChange).join(t.Activity).join(t.Plan).where(
        t.Plan.slug == slug, t.DateChange.decision == "pending").order_by(t.DateChange.id))
    for change in pending:
        decide_date(session, change, rng.random() < 0.75, "Samordnaren", moment)


def seeded_copy(factory: pytest.TempPathFactory, target: Path, slugs: tuple[str, ...] | None,
                start: datetime, send_from_year: int | None = None,
                real_contacts: bool = False) -> tuple[Seeded, datetime]:
    """A home at `target` holding the bundled plans (or `slugs`) with their seeded
    history. Seeding takes most of a minute, so it runs once per test run (for
    the first test that asks, on whichever xdist worker) and every caller gets
    a copy of the SQLite database and maildir. Returns what the seeding did and
    where its clock stopped. With `real_contacts` the plans' placeholder
    contacts are confirmed as real (tests/support/real_contacts.py)."""
    name = ("history-" + "-".join(slugs or ("all",)) + f"-{send_from_year or 'last'}"
            + ("-real" if real_contacts else ""))

    def build(home: Path) -> dict[str, Any]:
        clock = FixedClock(start)
        app = bootstrap(Settings(home=home, database_url="", plans_dir=PLANS, smtp_url="",
                                 _env_file=None), clock=clock)  # type: ignore[call-arg]
        try:
            source = with_real_contacts(home.parent / "plans", slugs) if real_contacts \
                else PLANS
            plans, errors = read_plans([source / f"{s}.yaml" for s in slugs] if slugs
                                       else [source])
            assert not errors, errors
            with app.sessions.begin() as session:
                sync_plans(session, plans, clock)
            seeded = seed_history(app, clock, slugs, send_from_year=send_from_year)
        finally:
            app.close()
        return {"seeded": asdict(seeded), "clock": clock.at.isoformat()}

    _, facts = copy_of_built(factory, name, build, target)
    return Seeded(**facts["seeded"]), datetime.fromisoformat(facts["clock"])
