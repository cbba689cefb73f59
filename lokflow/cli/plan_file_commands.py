"""`lokflow validate`, and reading plan files for the commands that load them.

Reading a plan file needs neither the database nor Prefect, so this module
imports neither: `lokflow validate` starts in a fraction of a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from lokflow.cli.context import console, errors, state
from lokflow.plans.plan_files import PlanError, PlanFile, read_plans

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Plan files or folders (default: the bundled plans/ folder)."),
]


def _read(ctx: typer.Context, paths: list[Path] | None) -> tuple[list[PlanFile], list[PlanError]]:
    return read_plans(paths or [state(ctx).settings.plans_dir])


def _print_errors(found: list[PlanError]) -> None:
    for error in found:
        errors.print(escape(str(error)), highlight=False)
    errors.print(f"[red]{len(found)} error(s)[/red]; nothing was loaded.")


def read_or_exit(ctx: typer.Context, paths: list[Path] | None) -> list[PlanFile]:
    """Every plan under `paths`, or every error printed and exit code 1."""
    plans, found = _read(ctx, paths)
    if found:
        _print_errors(found)
        raise typer.Exit(1)
    return plans


def validate(ctx: typer.Context, paths: PathsArg = None) -> None:
    """Check plan files and report every error with file, line and field."""
    plans = read_or_exit(ctx, paths)
    total = sum(len(p.document.activities()) for p in plans)
    for plan in plans:
        console.print(
            f"[green]ok[/green] {escape(str(plan.path))}  "
            f"{len(plan.document.activities())} activities"
        )
        for warning in plan.warnings:
            console.print(f"  [yellow]warning:[/yellow] {escape(str(warning))}")
    warned = sum(len(p.warnings) for p in plans)
    console.print(f"{len(plans)} plan(s) valid, {total} activities"
                  + (f", {warned} warning(s)." if warned else "."))
