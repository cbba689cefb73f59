"""Commands over the loaded plans: plans, activities, show. They read the
database only; `validate` and `sync` read plan files (plan_file_commands,
sync_command)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Column, Table
from sqlalchemy import select

from lokflow.cli.context import console, fail, state
from lokflow.domain.occurrences import Occurrence
from lokflow.domain.schedule_labels import occurrence_label
from lokflow.plans.plan_queries import (
    ActivityNotFound,
    ActivityView,
    find_activity,
    list_activities,
    list_plans,
    upcoming,
)
from lokflow.reporting.overdue import (
    OverdueOccurrence,
    by_plan_and_key,
    describe,
    overdue_by_activity,
)
from lokflow.reporting.report_queries import latest_reports
from lokflow.store import tables as t

TodayOpt = Annotated[
    str | None, typer.Option(help="Compute due dates as if today were this ISO date.")
]


def _parse_date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{name} must be an ISO date like 2025-03-31, got {value!r}") from None


def plans(ctx: typer.Context) -> None:
    """List the loaded plans with their activity counts."""
    with state(ctx).app.read() as session:
        summaries = list_plans(session)
    table = Table("plan", "name", "organisation", "period", "activities", "archived")
    for s in summaries:
        table.add_row(
            s.slug,
            escape(s.short_name),
            s.organisation,
            s.period,
            str(s.activities),
            str(s.archived),
        )
    console.print(table)


def activities(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option(help="Only this plan (slug).")] = None,
    owner: Annotated[
        str | None, typer.Option(help="Only activities of this unit (id or name).")
    ] = None,
    due_before: Annotated[
        str | None, typer.Option(help="Only those next due before this date, or overdue.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those with a passed, unreported deadline.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    today: TodayOpt = None,
) -> None:
    """List activities, optionally filtered by plan, owner and due date."""
    app = state(ctx).app
    day = _parse_date(today, "--today") or app.today()
    before = _parse_date(due_before, "--due-before")
    with app.read() as session:
        views = list_activities(session, day, plan=plan, owner=owner)
        late = by_plan_and_key(overdue_by_activity(
            session, day, app.settings.tz, plans=[plan] if plan else None))
    views = [v for v in views if (not overdue or (v.plan, v.id) in late) and (
        before is None or (v.plan, v.id) in late or (v.next_due and v.next_due.due < before))]
    if as_json:
        print(json.dumps([{**v.as_json(), "overdue": [o.as_json() for o in
                                                      late.get((v.plan, v.id), [])]}
                          for v in views], ensure_ascii=False, indent=2))
        return
    # The plan and the id are what a reader types next: never cut, whatever the width.
    keys = [Column(name, no_wrap=True, min_width=max([len(name), *widths]))
            for name, widths in (("plan", [len(v.plan) for v in views]),
                                 ("id", [len(v.id) for v in views]))]
    table = Table(*keys, "owners", "timeline", "next due", "overdue since", "activity")
    for v in views:
        passed = late.get((v.plan, v.id), [])
        table.add_row(
            escape(v.plan),
            escape(v.id),
            escape(", ".join(o.name for o in v.owners)),
            escape(v.timeline),
            v.next_due.due.isoformat() if v.next_due else "–",
            f"{passed[0].since.isoformat()} ({len(passed)})" if passed else "–",
            escape(v.title[:70] + ("…" if len(v.title) > 70 else "")),
        )
    console.print(table)
    console.print(f"{len(views)} activities")


def show(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="Plan slug, e.g. tierp.")],
    activity: Annotated[str, typer.Argument(help="Activity id, or the source's number.")],
    today: TodayOpt = None,
) -> None:
    """Show one activity: text, owners, timeline, schedule and next due dates."""
    app = state(ctx).app
    day = _parse_date(today, "--today") or app.today()
    with app.read() as session:
        try:
            view = find_activity(session, day, plan, activity)
        except ActivityNotFound as error:
            raise fail(str(error)) from None
        plan_row = session.query(t.Plan).filter_by(slug=plan).one()
        dates = upcoming(view, plan_row, day, day + timedelta(days=3 * 366))[:6]
        late = by_plan_and_key(overdue_by_activity(session, day, app.settings.tz, plans=[plan]))
        row = session.scalars(select(t.Activity).where(
            t.Activity.plan_id == plan_row.id, t.Activity.key == view.id)).one()
        report = latest_reports(session, [row.id]).get(row.id)
    table = Table(show_header=False, box=None)
    overdue = late.get((view.plan, view.id), [])
    for name, value in _show_rows(view, dates, overdue, report):
        table.add_row(f"[bold]{name}[/bold]", escape(value))
    console.print(table)


def _show_rows(view: ActivityView, dates: list[Occurrence], overdue: list[OverdueOccurrence],
               report: t.StatusReport | None) -> list[tuple[str, str]]:
    """The lines of `lokflow show`: name, value (printed literally)."""
    owners = "; ".join(f"{o.name} ({', '.join(e for _, e in o.contacts) or 'no contact'})"
                       for o in view.owners)
    timeline = view.timeline + (f"  ({view.timeline_note})" if view.timeline_note else "")
    return [
        ("plan", f"{view.plan} ({view.plan_name})"),
        ("id", view.id),
        ("number", view.number or "–"),
        ("commitment", f"{view.commitment_number or ''} {view.commitment}".strip()),
        ("activity", view.title),
        ("party", view.party),
        ("principle", view.principle or "–"),
        ("owners", owners),
        ("as written", view.responsible_as_written or "–"),
        ("commissioner", view.commissioner or "–"),
        ("executor", view.executor or "–"),
        ("partners", ", ".join(view.partners) or "–"),
        ("timeline", timeline),
        ("schedule", json.dumps(view.schedule, ensure_ascii=False)),
        ("next due", ", ".join(f"{o.due.isoformat()} ({occurrence_label(view.schedule, o)})"
                               for o in dates) or "–"),
        ("overdue", "; ".join(describe(o) for o in overdue) or "–"),
        ("latest report", _report_line(report)),
        ("inferred", (", ".join(view.inferred) + " (not given by the source)")
         if view.inferred else "–"),
        ("status", "archived" if view.archived else f"active, revision {view.revision}"),
    ]


def _report_line(report: t.StatusReport | None) -> str:
    """The latest status report in one line: status, progress, when, who, comment."""
    if report is None:
        return "– (no status report yet)"
    progress = f" {report.progress}%" if report.progress is not None else ""
    comment = f": {report.comment}" if report.comment else ""
    return (f"{report.status}{progress} on {report.created_at:%Y-%m-%d} for "
            f"{report.occurrence_key} by {report.reporter_name} ({report.channel}){comment}")
