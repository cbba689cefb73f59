"""`lokflow export`: one command name for two exports that arrived together.

Issue 16 exports a plan (`export PLAN --format yaml|xlsx -o FILE`, a file
`lokflow import` and `sync` read back); issue 15 exports the coordinator's
activity table (`export [PLAN] --format csv|xlsx --where ...`). Both were
registered as `export`, and the later one hid the other. This command keeps
both: a table filter (`--where`, `--language`), CSV, or no plan means the
activity table; otherwise the plan itself (YAML by default).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lokflow.cli.context import fail

PlanArg = Annotated[str | None, typer.Argument(
    help="Plan slug, e.g. tierp (the activity table: default all plans).")]


def export(
    ctx: typer.Context,
    plan: PlanArg = None,
    format_name: Annotated[str | None, typer.Option(
        "--format", "-f", help="yaml or xlsx: the plan (default yaml); csv or xlsx with "
        "--where/--language: the activity table.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write "
                                                "(the table's default: "
                                                "lokflow-PLAN-aktiviteter.FORMAT).")] = None,
    query: Annotated[list[str] | None, typer.Option(
        "--where", help="The activity table with a filter of the web table, e.g. overdue=1, "
        "owner=kultur, status=none, within=30, from=2025-01-01, q=text, sort=due, "
        "order=desc (repeatable).")] = None,
    language: Annotated[str | None, typer.Option(
        help="sv or en: the activity table's column words.")] = None,
) -> None:
    """Write a plan as a YAML plan file or XLSX workbook, or the activity table
    (filtered and sorted as on the web) as CSV or XLSX."""
    if query is not None or language is not None or format_name == "csv" or plan is None:
        from lokflow.cli import coordinator_commands

        coordinator_commands.export(ctx, plan, format_name or "csv", output, query,
                                    language or "sv")
        return
    if format_name not in (None, "yaml", "xlsx"):
        raise fail("--format must be yaml or xlsx (a plan), or csv or xlsx with --where "
                   "(the activity table)")
    if output is None:
        raise fail("a plan's export needs --output FILE")
    from lokflow.cli import transfer_commands

    transfer_commands.export(ctx, plan, output, "xlsx" if format_name == "xlsx" else "yaml")
