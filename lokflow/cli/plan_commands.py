"""Commands over plans: validate, sync, plans, activities, show."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lokflow.cli.change_lines import print_changes
from lokflow.cli.context import console, errors, fail, state
from lokflow.plans.file_sync import Refusal, sync_refusals
from lokflow.plans.plan_files import PlanError, PlanFile, read_plans
from lokflow.plans.plan_loading import PlanOwnershipError, PlanSyncResult, sync_plans
from lokflow.plans.plan_queries import (
    ActivityNotFound,
    find_activity,
    list_activities,
    list_plans,
    upcoming,
)
from lokflow.store import tables as t

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Plan files or folders (default: the bundled plans/ folder)."),
]
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


def _read(ctx: typer.Context, paths: list[Path] | None) -> tuple[list[PlanFile], list[PlanError]]:
    return read_plans(paths or [state(ctx).settings.plans_dir])


def _print_errors(found: list[PlanError]) -> None:
    for error in found:
        errors.print(escape(str(error)), highlight=False)
    errors.print(f"[red]{len(found)} error(s)[/red]; nothing was loaded.")


def _read_or_exit(ctx: typer.Context, paths: list[Path] | None) -> list[PlanFile]:
    """Every plan under `paths`, or every error printed and exit code 1."""
    plans, found = _read(ctx, paths)
    if found:
        _print_errors(found)
        raise typer.Exit(1)
    return plans


def validate(ctx: typer.Context, paths: PathsArg = None) -> None:
    """Check plan files and report every error with file, line and field."""
    plans = _read_or_exit(ctx, paths)
    total = sum(len(p.document.activities()) for p in plans)
    for plan in plans:
        console.print(
            f"[green]ok[/green] {plan.path}  {len(plan.document.activities())} activities"
        )
    console.print(f"{len(plans)} plan(s) valid, {total} activities.")


def sync(
    ctx: typer.Context,
    paths: PathsArg = None,
    force: Annotated[bool, typer.Option(help="Load files even over changes made in the web "
                                             "editor since (they stay in the history).")] = False,
    skip_edited: Annotated[bool, typer.Option(help="Leave plans edited in the web as they are "
                                                   "and load the others.")] = False,
) -> None:
    """Validate plan files and load them into the database (idempotent)."""
    plans = _read_or_exit(ctx, paths)
    app = state(ctx).app
    try:
        with app.sessions.begin() as session:
            refused = [] if force else sync_refusals(session, plans)
            if refused and not skip_edited:
                _print_refusals(refused)
                raise typer.Exit(1)
            skipped = {r.slug for r in refused}
            for r in refused:
                console.print(f"{r.slug}: edited in the web since its file; left as it is "
                              f"(revision {r.head})")
            results = sync_plans(session, [p for p in plans if p.document.slug not in skipped],
                                 app.clock)
    except PlanOwnershipError as error:
        raise fail(str(error)) from None
    for result in results:
        _print_sync(result)


def _print_refusals(refused: list[Refusal]) -> None:
    """What the web edits hold that the files do not, and how to resolve it."""
    for r in refused:
        who = ", ".join(sorted({f"{x.author} ({x.source}, revision {x.number})"
                                for x in r.others}))
        errors.print(f"[red]refused:[/red] plan {r.slug} was changed since its file was last "
                     f"loaded: {escape(who)}. Differences (file -> database):")
        print_changes(r.changes, "file", "database", to_errors=True)
    errors.print("Nothing was loaded. To keep the web changes: `lokflow export PLAN --format "
                 "yaml -o FILE` over the file, then make your edits there and sync. To let "
                 "the file win: `lokflow sync --force` (the web changes stay in the plan's "
                 "history and can be restored).")


def _print_sync(result: PlanSyncResult) -> None:
    if result.unchanged:
        console.print(f"{result.slug}: no changes")
        return
    head = "new plan" if result.new_plan else "updated"
    console.print(f"[bold]{result.slug}[/bold]: {head}")
    for label, items in (
        ("added", result.added),
        ("changed", result.changed),
        ("archived", result.archived),
        ("restored", result.restored),
    ):
        if items:
            console.print(f"  {label} ({len(items)}): {escape(', '.join(items))}")
    for line in result.other:
        console.print(f"  {escape(line)}")


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
        str | None, typer.Option(help="Only those next due before this date.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    today: TodayOpt = None,
) -> None:
    """List activities, optionally filtered by plan, owner and due date."""
    app = state(ctx).app
    day = _parse_date(today, "--today") or app.today()
    with app.read() as session:
        views = list_activities(
            session, day, plan=plan, owner=owner, due_before=_parse_date(due_before, "--due-before")
        )
    if as_json:
        print(json.dumps([v.as_json() for v in views], ensure_ascii=False, indent=2))
        return
    table = Table("plan", "id", "owners", "timeline", "next due", "activity")
    for v in views:
        table.add_row(
            v.plan,
            v.id,
            escape(", ".join(o.name for o in v.owners)),
            escape(v.timeline),
            v.next_due.due.isoformat() if v.next_due else "–",
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
    table = Table(show_header=False, box=None)
    rows = [
        ("plan", f"{view.plan} ({view.plan_name})"),
        ("id", view.id),
        ("number", view.number or "–"),
        ("commitment", f"{view.commitment_number or ''} {view.commitment}".strip()),
        ("activity", view.title),
        ("party", view.party),
        ("principle", view.principle or "–"),
        (
            "owners",
            "; ".join(
                f"{o.name} ({', '.join(e for _, e in o.contacts) or 'no contact'})"
                for o in view.owners
            ),
        ),
        ("as written", view.responsible_as_written or "–"),
        ("executor", view.executor or "–"),
        ("partners", ", ".join(view.partners) or "–"),
        ("timeline", view.timeline + (f"  ({view.timeline_note})" if view.timeline_note else "")),
        ("schedule", json.dumps(view.schedule, ensure_ascii=False)),
        ("next due", ", ".join(f"{o.due.isoformat()} ({o.kind})" for o in dates) or "–"),
        ("status", "archived" if view.archived else f"active, revision {view.revision}"),
    ]
    for name, value in rows:
        table.add_row(f"[bold]{name}[/bold]", escape(value))
    console.print(table)
