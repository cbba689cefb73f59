"""Status-report commands: report, history, and deciding proposed dates.
Rounds, accounts, API keys and report links register from their own modules."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lokflow.cli.context import console, fail, state
from lokflow.cli.coordinator_commands import send_now
from lokflow.domain.statuses import Status
from lokflow.engine.coordinator_actions import ActionRefused, decide_and_tell
from lokflow.plans.plan_queries import ActivityNotFound, activity_by_ref
from lokflow.reporting.activity_history import activity_history
from lokflow.reporting.report_input import BEHALF_CHANNELS, ReportRejected, parse_report
from lokflow.reporting.report_queries import pending_changes
from lokflow.reporting.status_reports import record_report
from lokflow.store import tables as t

PlanArg = Annotated[str, typer.Argument(help="Plan slug, e.g. tierp.")]
ActivityArg = Annotated[str, typer.Argument(help="Activity id, or the source's number.")]
dates_app = typer.Typer(help="Proposed new dates: list, accept, reject.", no_args_is_help=True)


OPTIONS = {"status": "--status", "progress": "--progress", "comment": "--comment",
           "obstacles": "--obstacles", "proposed_date": "--new-date",
           "proposed_reason": "--reason", "reporter_name": "--reporter",
           "occurrence": "--occurrence"}


def _status(value: str) -> str:
    """The status's English name; a Swedish label ('pågår') is accepted too."""
    try:
        return Status.parse(value).value
    except ValueError:
        return value  # the shared rules name the problem


def _rejected(error: ReportRejected, language: str) -> typer.Exit:
    lines = [f"{OPTIONS[p.field]}: {p.message(language)}" if p.field in OPTIONS
             else p.message(language) for p in error.problems]
    return fail(escape("\n".join(lines)))


def report(
    ctx: typer.Context,
    plan: PlanArg,
    activity: ActivityArg,
    status: Annotated[str, typer.Option(help="pågår, klar, försenad ... or in_progress, done ...")],
    comment: Annotated[str | None, typer.Option(help="What has been done.")] = None,
    progress: Annotated[str | None, typer.Option(help="Percent done, 0-100.")] = None,
    obstacles: Annotated[str | None, typer.Option(help="What holds the work back.")] = None,
    new_date: Annotated[str | None, typer.Option(help="Proposed new date (ISO).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why the date should move.")] = None,
    reporter: Annotated[str | None, typer.Option(help="Who reports (default: your login).")]
    = None,
    occurrence: Annotated[str | None, typer.Option(
        help="Which occurrence: 'deadline', a year, or checkin-DATE (default: the current).")]
    = None,
    on_behalf_of: Annotated[str | None, typer.Option(
        help="Record what this owner said (needs --channel); you are the reporter.")] = None,
    channel: Annotated[str | None, typer.Option(
        help="How the owner gave it: phone, meeting, email or other.")] = None,
) -> None:
    """Record a status report for one activity (the rules of the form and the API)."""
    app = state(ctx).app
    language = state(ctx).settings.language
    if bool(on_behalf_of) != bool(channel) or channel not in (None, *BEHALF_CHANNELS):
        raise fail("--on-behalf-of and --channel go together; --channel is one of "
                   + ", ".join(BEHALF_CHANNELS))
    values: dict[str, object] = {
        "status": _status(status), "reporter_name": reporter or getpass.getuser(),
        "progress": progress, "comment": comment, "obstacles": obstacles,
        "proposed_date": new_date, "proposed_reason": reason, "occurrence": occurrence}
    with app.sessions.begin() as session:
        try:
            entry = parse_report(values, channel=channel or "cli", today=app.today())
            row = activity_by_ref(session, plan, activity)
            saved = record_report(session, row, entry, app.now(), app.today(),
                                  on_behalf_of=(on_behalf_of or "").strip()[:200] or None)
        except ActivityNotFound as error:
            raise fail(escape(str(error))) from None
        except ReportRejected as error:
            raise _rejected(error, language) from None
        line = (f"{row.plan.slug} {row.key} ({saved.occurrence_key}): "
                f"{Status(saved.status).label('sv')}")
    console.print(f"recorded {escape(line)}")
    if entry.proposed_date:
        console.print("the proposed date waits for a coordinator: `lokflow dates list`")


def history(ctx: typer.Context, plan: PlanArg, activity: ActivityArg) -> None:
    """Show every report and date change of one activity, oldest first."""
    app = state(ctx).app
    tz = app.settings.tz
    with app.read() as session:
        try:
            found = activity_history(session, activity_by_ref(session, plan, activity))
        except ActivityNotFound as error:
            raise fail(str(error)) from None
        console.print(f"[bold]{escape(found.activity.key)}[/bold] {escape(found.activity.text)}")
        if not found.reports:
            console.print("no reports yet")
        for r in found.reports:
            done = "" if r.progress is None else f" {r.progress} %"
            console.print(f"{r.created_at.astimezone(tz):%Y-%m-%d %H:%M}  {r.occurrence_key}  "
                          f"{Status(r.status).label('sv')}{done}  "
                          f"{escape(r.reporter_name)} ({r.channel})")
            for label, text in (("comment", r.comment), ("obstacles", r.obstacles)):
                if text:
                    console.print(f"    {label}: {escape(text)}")
        for c in found.changes:
            by = f", {escape(c.decided_by)}" if c.decided_by else ""
            console.print(f"date change #{c.id}: {c.original_due or '–'} -> {c.proposed_date} "
                          f"({c.decision}{by}): {escape(c.reason)}")


@dates_app.command("list")
def dates_list(ctx: typer.Context, plan: PlanArg) -> None:
    """List proposed dates that wait for a decision."""
    with state(ctx).app.read() as session:
        row = session.query(t.Plan).filter_by(slug=plan).one_or_none()
        if row is None:
            raise fail(f"no plan {plan!r}")
        pending = pending_changes(session, row.id)
        table = Table("id", "activity", "occurrence", "was", "proposed", "reason")
        for change, activity in pending:
            table.add_row(str(change.id), activity.key, change.occurrence_key,
                          str(change.original_due or "–"), str(change.proposed_date),
                          escape(change.reason))
    console.print(table if pending else "no proposed dates wait for a decision")


def _decide(ctx: typer.Context, change_id: int, accept: bool, by: str | None,
            reason: str) -> None:
    app = state(ctx).app
    with app.sessions.begin() as session:
        change = session.get(t.DateChange, change_id)
        if change is None:
            raise fail(f"no proposed date #{change_id}")
        try:
            queued = decide_and_tell(session, change, accept, reason, by or getpass.getuser(),
                                     app.now(), app.today())
        except ReportRejected as error:
            raise _rejected(error, state(ctx).settings.language) from None
        except ActionRefused as refused:
            raise fail(str(refused)) from None
        console.print(f"#{change_id} {change.decision}: {change.proposed_date}; "
                      f"{queued.items} owner contact(s) told")
    if queued.items:
        send_now(app)


ById = Annotated[str | None, typer.Option("--by", help="Who decides (default: your login).")]
ChangeArg = Annotated[int, typer.Argument(help="The id shown by `lokflow dates list`.")]
ReasonOpt = Annotated[str, typer.Option(help="Why (required): the owners get it by email.")]


@dates_app.command("accept")
def dates_accept(ctx: typer.Context, change: ChangeArg, reason: ReasonOpt,
                 by: ById = None) -> None:
    """Accept a proposed date: reminders and calendars move to it; the owners are told."""
    _decide(ctx, change, True, by, reason)


@dates_app.command("reject")
def dates_reject(ctx: typer.Context, change: ChangeArg, reason: ReasonOpt,
                 by: ById = None) -> None:
    """Reject a proposed date: the original date stands; the owners are told why."""
    _decide(ctx, change, False, by, reason)
