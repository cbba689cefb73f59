"""Engine commands: deploy, sweep, send, outbox, simulate."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lokflow.bootstrap import App
from lokflow.cli.context import console, fail, state
from lokflow.engine.due_run import sweep_everything
from lokflow.engine.outbox import MessageStatus
from lokflow.engine.outbox_queries import MessageView, list_messages

if TYPE_CHECKING:
    from lokflow.orchestration.prefect_sync import DeploySummary

STATUSES = tuple(MessageStatus)


def deploy(ctx: typer.Context) -> None:
    """Create or update the Prefect deployments from the database (idempotent)."""
    cli = state(ctx)
    if cli.settings.prefect_api_url:
        os.environ["PREFECT_API_URL"] = cli.settings.prefect_api_url  # for Prefect's client
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise fail("PREFECT_API_URL is not set: point it at a Prefect server "
                   "(or use `lokflow run`, which starts one)")
    summary = deploy_now(cli.app)
    console.print(f"created {len(summary.created)}, updated {len(summary.updated)}, "
                  f"unchanged {summary.unchanged}, deleted {len(summary.deleted)} "
                  f"({summary.api_calls} Prefect API calls)")
    for label, names in (("created", summary.created), ("updated", summary.updated),
                         ("deleted", summary.deleted)):
        for name in names:
            console.print(f"  {label}: {name}")


def deploy_now(app: App) -> DeploySummary:
    """Compute the wanted deployments and sync them to Prefect."""
    from lokflow.orchestration.refresh import refresh_deployments

    return asyncio.run(refresh_deployments(app.sessions, app.settings, app.today()))


def sweep(
    ctx: typer.Context,
    today: Annotated[str | None, typer.Option(help="Decide as if today were this date.")] = None,
    send: Annotated[bool, typer.Option(help="Also send what was queued.")] = True,
) -> None:
    """Decide everything due now across all plans, queue it, and send it (no Prefect)."""
    app = state(ctx).app
    day = date.fromisoformat(today) if today else app.today()
    with app.sessions.begin() as session:
        run = sweep_everything(session, app.now(), day, catch_up_days=app.settings.catch_up_days,
                               zone=app.settings.tz,
                               recent_days=app.settings.round_recent_days)
    rounds = dict(run.rounds.by_kind) if run.rounds else {}
    console.print(f"{day}: {len(run.actions)} due, {run.queued.items} newly queued "
                  f"{dict(run.queued.by_kind)}; reporting rounds: {rounds or 'nothing'}")
    if send:
        _send(ctx)


def _send(ctx: typer.Context) -> None:
    app = state(ctx).app
    report = asyncio.run(app.send_queued())
    where = app.settings.smtp_url.split("@")[-1] if app.settings.smtp_url else str(
        app.settings.maildir)
    taken_over = f", taken over by another sender {report.lost_lease}" if report.lost_lease else ""
    console.print(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}"
                  f"{taken_over} -> {escape(where)}")


def send(ctx: typer.Context) -> None:
    """Deliver every queued message now (SMTP if configured, else the maildir)."""
    _send(ctx)


def outbox(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="queued, sending, sent, failed or cancelled.")]
    = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
) -> None:
    """Show the outbox: one row per email, with its status and items."""
    if status and status not in STATUSES:
        raise fail(f"--status must be one of {', '.join(STATUSES)}")
    app = state(ctx).app
    with app.read() as session:
        messages = list_messages(session, status, limit)
    table = Table("id", "day", "recipient", "status", "tries", "items", "kinds", "subject / error")
    for m in messages:
        table.add_row(str(m.id), m.day.isoformat(), m.recipient, m.status, str(m.attempts),
                      str(m.items), m.kinds, escape(_last_column(m, app)))
    console.print(table)
    if not app.settings.smtp_url:
        console.print(f"maildir: {app.settings.maildir}")


def _last_column(message: MessageView, app: App) -> str:
    """A `sending` row names its sender and when its lease ends (after a crash:
    when another sender will take it over)."""
    if message.status == MessageStatus.SENDING and message.claimed_until is not None:
        until = message.claimed_until.astimezone(app.settings.tz).strftime("%Y-%m-%d %H:%M:%S")
        return f"sending by {message.claimed_by}, lease until {until}"
    return message.error or message.subject or ""
