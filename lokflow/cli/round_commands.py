"""`lokflow round open|status|remind|close PLAN`: the reporting round before a
plan's annual follow-up."""

from __future__ import annotations

import getpass
import json
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from lokflow.cli.context import console, fail, state
from lokflow.cli.coordinator_commands import print_previews, send_now
from lokflow.delivery.preview import preview_emails
from lokflow.engine.coordinator_actions import (
    ActionRefused,
    new_action_id,
    remind_round,
    round_recipients,
    round_reminder_notices,
)
from lokflow.engine.reporting_rounds import (
    RoundError,
    close_round,
    current_year,
    default_year,
    open_round,
    planned_deadline,
    preview_round,
    round_notices_now,
    round_status,
)
from lokflow.store import tables as t

round_app = typer.Typer(help="Reporting rounds: open, status, close.", no_args_is_help=True)
PlanArg = Annotated[str, typer.Argument(help="Plan slug, e.g. tierp.")]
YearOpt = Annotated[int | None, typer.Option(
    help="The follow-up year (default: the open round's, else the next follow-up day's).")]


def _plan(session: Session, slug: str) -> t.Plan:
    row = session.query(t.Plan).filter_by(slug=slug, archived=False).one_or_none()
    if row is None:
        raise fail(f"no plan {slug!r}")
    return row


@round_app.command("open")
def open_command(
    ctx: typer.Context, plan: PlanArg, year: YearOpt = None,
    deadline: Annotated[str | None, typer.Option(
        help="Answers due (ISO date; default: the follow-up day).")] = None,
    preview: Annotated[bool, typer.Option(
        help="Show who would be asked about what; open nothing.")] = False,
    send: Annotated[bool, typer.Option(help="Ask the owners at once (else the next sweep).")]
    = True,
) -> None:
    """Open the round now: every owner with activities in it is asked for reports."""
    app = state(ctx).app
    try:
        due = date.fromisoformat(deadline) if deadline else None
    except ValueError:
        raise fail(f"--deadline must be an ISO date, got {deadline!r}") from None
    if preview:
        return _preview(ctx, plan, year, due)
    with app.sessions.begin() as session:
        row = _plan(session, plan)
        chosen = year or default_year(row, app.today())
        try:
            found = open_round(session, row, chosen, app.now(), app.today(), due,
                               recent_days=app.settings.round_recent_days)
        except RoundError as error:
            raise fail(str(error)) from None
        asked = round_notices_now(session, found, app.now(), app.today()).items if send else 0
        console.print(f"{plan} {chosen}: round open since {found.opens_on}, "
                      f"answers due {found.deadline}; {asked} request(s) queued")
    if asked:
        send_now(app)


def _preview(ctx: typer.Context, plan: str, year: int | None, due: date | None) -> None:
    app = state(ctx).app
    with app.read() as session:
        row = _plan(session, plan)
        chosen = year or default_year(row, app.today())
        deadline = due or planned_deadline(session, row, chosen)
        if deadline <= app.today():
            raise fail(f"the round's deadline {deadline} has passed; give a later --deadline")
        found = preview_round(session, row, chosen, deadline, app.now(), app.today(),
                              app.settings.round_recent_days)
        console.print(f"{plan} {chosen}, answers due {deadline}: {found.total} activities, "
                      f"{found.answered} already answered")
        table = Table("contact", "units", "asked about")
        for person in found.missing_people:
            owners = [o for o in found.facts.owners if person in o.contacts and o.missing_ids]
            table.add_row(escape(f"{person.name} <{person.email}>"),
                          escape(", ".join(o.name for o in owners)),
                          ", ".join(found.activities[a].key for o in owners
                                    for a in o.missing_ids))
    console.print(table)


@round_app.command("remind")
def remind_command(
    ctx: typer.Context, plan: PlanArg,
    preview: Annotated[bool, typer.Option(help="Print the exact email; send nothing.")]
    = False,
    by: Annotated[str | None, typer.Option(help="Who reminds (default: your login).")] = None,
    action_id: Annotated[str | None, typer.Option(help="Repeat an action safely: the same "
                                                       "id queues the reminder once.")] = None,
) -> None:
    """Remind everyone still missing in the open round, now."""
    app = state(ctx).app
    who, action = by or getpass.getuser(), action_id or new_action_id()
    try:
        if preview:
            with app.read() as session:
                found, people = round_recipients(session, _plan(session, plan))
                notices = round_reminder_notices(found, people, action, who, app.today())
            with app.sessions() as scratch:
                print_previews(preview_emails(scratch, notices, app.settings, app.secret(),
                                              app.now(), app.today()))
            return
        with app.sessions.begin() as session:
            queued = remind_round(session, _plan(session, plan), action, who, app.now(),
                                  app.today())
    except ActionRefused as refused:
        raise fail(str(refused)) from None
    console.print(f"queued {queued.items} reminder(s) (action {action})")
    if queued.items:
        send_now(app)


@round_app.command("status")
def status_command(
    ctx: typer.Context, plan: PlanArg, year: YearOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Response rate per owner and who is missing."""
    app = state(ctx).app
    with app.read() as session:
        row = _plan(session, plan)
        try:
            found = round_status(session, row, year or current_year(session, row, app.today()))
        except RoundError as error:
            raise fail(str(error)) from None
        if as_json:
            print(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
            return
        r = found.round
        console.print(f"{plan} {r.year}: {r.status}, opened {r.opens_on}, due {r.deadline}; "
                      f"{found.answered}/{found.total} activities reported")
        table = Table("owner", "answered", "missing", "contacts")
        for owner in found.facts.owners:
            table.add_row(escape(owner.name), f"{owner.answered}/{len(owner.activity_ids)}",
                          ", ".join(found.activities[a].key for a in owner.missing_ids) or "–",
                          ", ".join(p.email for p in owner.contacts) or "no contact")
        console.print(table)


@round_app.command("close")
def close_command(ctx: typer.Context, plan: PlanArg, year: YearOpt = None) -> None:
    """Close the round: no more requests, reminders or escalations."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        row = _plan(session, plan)
        chosen = year or current_year(session, row, app.today())
        try:
            close_round(session, row, chosen, app.now())
        except RoundError as error:
            raise fail(str(error)) from None
    console.print(f"{plan} {chosen}: round closed")
