"""What a coordinator does on the web, on the command line: the dashboard's
numbers, the activity table as CSV or XLSX, the log of what was sent, and
"remind now" (with --preview to read the exact email first)."""

from __future__ import annotations

import asyncio
import getpass
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from lokflow.bootstrap import App
from lokflow.cli.context import console, fail, state
from lokflow.delivery.preview import PreviewEmail, preview_emails
from lokflow.engine.coordinator_actions import (
    ActionRefused,
    new_action_id,
    remind_activity,
    reminder_notices,
)
from lokflow.plans.plan_queries import ActivityNotFound, activity_by_ref
from lokflow.reporting.activity_columns import activity_table, columns
from lokflow.reporting.activity_query import ActivityQuery
from lokflow.reporting.dashboard import plan_row
from lokflow.reporting.plan_overview import visible_plans
from lokflow.reporting.sent_log import SentQuery, sent_log
from lokflow.reporting.table_export import WRITERS
from lokflow.store import tables as t

PlanOpt = Annotated[str | None, typer.Argument(help="Plan slug, e.g. tierp (default: all).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _plans(session: Session, slug: str | None) -> list[t.Plan]:
    plans = visible_plans(session, None)
    if slug is None:
        return plans
    chosen = [p for p in plans if p.slug == slug]
    if not chosen:
        raise fail(f"no plan {slug!r}")
    return chosen


def dashboard(ctx: typer.Context, plan: PlanOpt = None, as_json: JsonOpt = False) -> None:
    """The dashboard's numbers per plan: overdue, due within 30 days, missing in
    the open round, date proposals waiting, and the round's response rate."""
    app = state(ctx).app
    with app.read() as session:
        plans = _plans(session, plan)
        lines = app.line_cache.lines(session, [p.id for p in plans], app.today())
        rows = [plan_row(p, lines[p.id], app.today()) for p in plans]
    found = [{"plan": r.slug, "activities": r.activities, **r.counts,
              "round_answered": r.answered, "round_asked": r.asked} for r in rows]
    if as_json:
        print(json.dumps(found, indent=2))
        return
    table = Table("plan", "activities", "overdue", "within 30 days", "missing in round",
                  "date proposals", "response rate")
    for r in rows:
        table.add_row(r.slug, str(r.activities), str(r.counts["overdue"]),
                      str(r.counts["soon"]), str(r.counts["round"]), str(r.counts["pending"]),
                      f"{r.percent} %" if r.percent is not None else "no open round")
    console.print(table)


def export(
    ctx: typer.Context, plan: PlanOpt = None,
    format_name: Annotated[str, typer.Option("--format", "-f", help="csv or xlsx.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write "
                                                "(default: lokflow-PLAN-aktiviteter.FORMAT).")]
    = None,
    query: Annotated[list[str] | None, typer.Option(
        "--where", help="A filter of the web table, e.g. overdue=1, owner=kultur, "
        "status=none, within=30, from=2025-01-01, q=text, sort=due, order=desc "
        "(repeatable).")] = None,
    language: Annotated[str, typer.Option(help="sv or en: the columns' words.")] = "sv",
) -> None:
    """Write the activity table, filtered and sorted as on the web, as CSV or XLSX."""
    if format_name not in WRITERS or language not in ("sv", "en"):
        raise fail("--format must be csv or xlsx and --language sv or en")
    values = dict(part.partition("=")[::2] for part in query or [])
    chosen, problems = ActivityQuery.parse(values)
    if problems:
        raise fail(f"unusable --where: {', '.join(problems)}")
    app = state(ctx).app
    with app.read() as session:
        plans = _plans(session, plan)
        names = {p.id: p.short_name for p in plans}
        slugs = {p.id: p.slug for p in plans}
        lines = app.line_cache.lines(session, list(names), app.today())
    shown = chosen.apply([a for p in plans for a in lines[p.id]], app.today(), slugs.__getitem__)
    table = activity_table(shown, columns(plan is None), language, names.__getitem__,
                           plan or "lokflow", app.settings.tz)
    target = output or Path(f"lokflow-{plan or 'alla'}-aktiviteter.{format_name}")
    target.write_bytes(WRITERS[format_name](table))
    console.print(f"wrote {len(shown)} activities to {escape(str(target))}")


def notices(
    ctx: typer.Context, plan: Annotated[str, typer.Argument(help="Plan slug, e.g. tierp.")],
    activity: Annotated[str | None, typer.Option(help="Only this activity.")] = None,
    kind: Annotated[str, typer.Option(help="Only this kind, e.g. reminder.")] = "",
    status: Annotated[str, typer.Option(help="queued, sending, sent, failed ...")] = "",
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 100,
    as_json: JsonOpt = False,
) -> None:
    """What the plan sent, newest first: when, to whom, about what, delivered or not."""
    app = state(ctx).app
    with app.read() as session:
        row = _plans(session, plan)[0]
        activity_id = _activity(session, plan, activity).id if activity else None
        query, problems = SentQuery.parse({"kind": kind, "status": status})
        if problems:
            raise fail(f"unknown --{problems[0]}")
        found, total = sent_log(session, row.id, SentQuery(query.kind, query.status,
                                                            activity_id=activity_id), limit)
    if as_json:
        print(json.dumps([_notice(n) for n in found], indent=2, default=str))
        return
    table = Table("day", "kind", "recipient", "activity", "due", "delivery", "sent at")
    for n in found:
        table.add_row(str(n.planned_day), n.kind + (f" {n.level}" if n.level else ""),
                      escape(n.recipient_email), n.activity_key or "–", str(n.due or "–"),
                      n.status, str(n.sent_at)[:16] if n.sent_at else "–")
    console.print(table)
    console.print(f"{len(found)} of {total} notices")


def _notice(n: Any) -> dict[str, Any]:
    return {"day": n.planned_day, "kind": n.kind, "level": n.level,
            "recipient": n.recipient_email, "activity": n.activity_key, "due": n.due,
            "status": n.status, "sent_at": n.sent_at}


def _activity(session: Session, plan: str, ref: str) -> t.Activity:
    try:
        return activity_by_ref(session, plan, ref)
    except ActivityNotFound as error:
        raise fail(str(error)) from None


def print_previews(emails: list[PreviewEmail]) -> None:
    for email in emails:
        console.print(f"--- to {escape(email.recipient_name)} <{escape(email.recipient_email)}>"
                      f"\nSubject: {escape(email.subject)}\n", highlight=False)
        print(email.text)


def remind(
    ctx: typer.Context, plan: Annotated[str, typer.Argument(help="Plan slug, e.g. tierp.")],
    activity: Annotated[str, typer.Argument(help="Activity id, or the source's number.")],
    preview: Annotated[bool, typer.Option(help="Print the exact emails; send nothing.")]
    = False,
    by: Annotated[str | None, typer.Option(help="Who reminds (default: your login).")] = None,
    action_id: Annotated[str | None, typer.Option(help="Repeat an action safely: the same "
                                                       "id queues the reminder once.")] = None,
    send: Annotated[bool, typer.Option(help="Send at once (else the next sender run).")]
    = True,
) -> None:
    """Remind an activity's owners now, through the outbox."""
    app = state(ctx).app
    who = by or getpass.getuser()
    action = action_id or new_action_id()
    if preview:
        with app.read() as session:
            notices_ = reminder_notices(session, _activity(session, plan, activity), action,
                                        who, app.today())
        with app.sessions() as scratch:
            print_previews(preview_emails(scratch, notices_, app.settings, app.secret(),
                                          app.now(), app.today()))
        return
    with app.sessions.begin() as session:
        try:
            queued = remind_activity(session, _activity(session, plan, activity), action, who,
                                     app.now(), app.today())
        except ActionRefused as refused:
            raise fail(str(refused)) from None
    console.print(f"queued {queued.items} reminder(s) (action {action})")
    if send and queued.items:
        send_now(app)


def send_now(app: App) -> None:
    report = asyncio.run(app.send_queued(worker="cli-action"))
    console.print(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
