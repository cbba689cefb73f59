"""`lokflow run`: the main job on the embedded default."""

from __future__ import annotations

import typer

from lokflow.cli import plan_commands


def run(ctx: typer.Context) -> None:
    """Validate and load the bundled plans, then print the overview."""
    plan_commands.sync(ctx, None)
    plan_commands.plans(ctx)
