"""`lokflow sync`: read plan files and load them into the database."""

from __future__ import annotations

import typer
from rich.markup import escape

from lokflow.cli.context import console, fail, state
from lokflow.cli.plan_file_commands import PathsArg, read_or_exit
from lokflow.plans.plan_loading import PlanOwnershipError, PlanSyncResult, sync_plans


def sync(ctx: typer.Context, paths: PathsArg = None) -> None:
    """Validate plan files and load them into the database (idempotent)."""
    plans = read_or_exit(ctx, paths)
    app = state(ctx).app
    try:
        with app.sessions.begin() as session:
            results = sync_plans(session, plans, app.clock)
    except PlanOwnershipError as error:
        raise fail(str(error)) from None
    for result in results:
        _print_sync(result)


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
