"""`lokflow sync`: read plan files and load them into the database, refusing
to undo changes made in the web editor since a file was loaded."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from lokflow.cli.change_lines import print_changes
from lokflow.cli.context import console, errors, fail, state
from lokflow.cli.plan_file_commands import PathsArg, read_or_exit
from lokflow.plans.file_sync import Refusal, sync_refusals
from lokflow.plans.plan_loading import PlanOwnershipError, PlanSyncResult, sync_plans


def sync(
    ctx: typer.Context,
    paths: PathsArg = None,
    force: Annotated[bool, typer.Option(help="Load files even over changes made in the web "
                                             "editor since (they stay in the history).")] = False,
    skip_edited: Annotated[bool, typer.Option(help="Leave plans edited in the web as they are "
                                                   "and load the others.")] = False,
) -> None:
    """Validate plan files and load them into the database (idempotent)."""
    plans = read_or_exit(ctx, paths)
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
    console.print(f"[bold]{escape(result.slug)}[/bold]: {head}")
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
