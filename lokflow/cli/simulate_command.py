"""`lokflow simulate`: replay time on the loaded plans, with a fake clock, into
a throw-away database and maildir, to preview a policy before turning it on."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lokflow.bootstrap import FixedClock, bootstrap
from lokflow.cli.context import console, fail, state
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import MaildirTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.engine.simulation import loaded_plan_files
from lokflow.plans.plan_files import PlanFile, read_plans
from lokflow.plans.plan_loading import sync_plans


def simulate(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day, e.g. 2023-01-01.")],
    end: Annotated[str, typer.Option("--to", help="Last day, e.g. 2023-12-31.")],
    plan: Annotated[list[str] | None, typer.Option(help="Only this plan (repeatable).")] = None,
    path: Annotated[list[Path] | None, typer.Option(help="Simulate these plan files instead "
                                                         "of the loaded plans.")] = None,
    keep: Annotated[bool, typer.Option(help="Keep the throw-away folder and print it.")] = False,
) -> None:
    """Replay days on the plans: print reminders, escalations and who got them, per month."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise fail("--from and --to must be ISO dates like 2023-01-01") from None
    if last < first or (last - first).days > 5 * 366:
        raise fail("--to must be after --from and at most five years later")
    cli = state(ctx)
    plans = _plans(ctx, path, plan)
    scratch = Path(tempfile.mkdtemp(prefix="lokflow-simulate-"))
    zone = cli.settings.tz
    clock = FixedClock(datetime.combine(first, time(7, 30), zone))
    settings = cli.settings.model_copy(update={"home": scratch, "database_url": "",
                                               "smtp_url": ""})
    sim = bootstrap(settings, clock=clock)
    try:
        with sim.sessions.begin() as session:
            sync_plans(session, plans, clock)
        months: dict[str, Counter[str]] = defaultdict(Counter)
        people: dict[str, Counter[str]] = defaultdict(Counter)
        day = first
        while day <= last:
            clock.at = datetime.combine(day, time(7, 30), zone)
            with sim.sessions.begin() as session:
                run = decide_and_queue(session, sim.now(), day,
                                       catch_up_days=settings.catch_up_days, zone=zone)
            month = day.strftime("%Y-%m")
            for action in run.actions:
                months[month][action.kind] += 1
                people[month][action.recipient.name] += 1
            report = asyncio.run(OutboxSender(sim, lambda: MaildirTransport(settings.maildir))
                                 .run())
            months[month]["emails"] += report.sent
            day += timedelta(days=1)
        _print(months, people)
    finally:
        sim.close()
        if keep:
            console.print(f"database and maildir kept in {escape(str(scratch))}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def _plans(ctx: typer.Context, paths: list[Path] | None, only: list[str] | None) -> list[PlanFile]:
    if paths:
        plans, errors = read_plans(paths)
        if errors:
            raise fail("\n".join(str(e) for e in errors))
    else:
        with state(ctx).app.read() as session:
            plans = loaded_plan_files(session)
        if not plans:
            raise fail("no plans are loaded: run `lokflow sync` first, or give --path")
    if only:
        plans = [p for p in plans if p.document.slug in only]
    return plans


def _print(months: dict[str, Counter[str]], people: dict[str, Counter[str]]) -> None:
    table = Table("month", "reminders", "check-ins", "late", "escalations", "emails",
                  "who (notices)")
    for month in sorted(months):
        counts = months[month]
        who = ", ".join(f"{name} ({n})" for name, n in people[month].most_common(6))
        more = len(people[month]) - 6
        table.add_row(month, str(counts["reminder"]), str(counts["checkin"]),
                      str(counts["late"]), str(counts["escalation"]), str(counts["emails"]),
                      escape(who + (f" and {more} more" if more > 0 else "")))
    console.print(table)
    total = sum((c for c in months.values()), Counter())
    console.print(f"total: {total['reminder']} reminders, {total['checkin']} check-ins, "
                  f"{total['late']} late notices, {total['escalation']} escalations in "
                  f"{total['emails']} emails")
