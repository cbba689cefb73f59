"""`lokflow round open|status|close PLAN`: the reporting round before a plan's
annual follow-up."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from lokflow.cli.context import console, fail, state
from lokflow.engine.reporting_rounds import (
    RoundError,
    close_round,
    current_year,
    default_year,
    open_round,
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
) -> None:
    """Open the round now: owners are asked for reports by the next sweep."""
    app = state(ctx).app
    try:
        due = date.fromisoformat(deadline) if deadline else None
    except ValueError:
        raise fail(f"--deadline must be an ISO date, got {deadline!r}") from None
    with app.sessions.begin() as session:
        row = _plan(session, plan)
        chosen = year or default_year(row, app.today())
        try:
            found = open_round(session, row, chosen, app.now(), app.today(), due)
        except RoundError as error:
            raise fail(str(error)) from None
        console.print(f"{plan} {chosen}: round open since {found.opens_on}, "
                      f"answers due {found.deadline}")


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
