"""`lokflow bench`: the national-scale benchmark (or a small smoke size)."""

from __future__ import annotations

import platform
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lokflow.benchmarks.figures import Figure
from lokflow.cli.context import console, fail


def bench(
    size: Annotated[str, typer.Option(help="national (300 x 100 activities) or smoke.")]
    = "national",
    only: Annotated[str, typer.Option(help="Comma-separated figures: sync, sweep, send, "
                                           "memory, deploy, peak, feed, report, "
                                           "hostile, import, validate, owner, dashboard, "
                                           "public, cli.")] = "",
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write JSON here.")]
    = None,
) -> None:
    """Measure sync, sweep, deploy, peak day, send, feed, report, memory, hostile plan
    files, imports, validating one plan, the owner's overview, the coordinator
    dashboards, the public page and the CLI's start beside floors."""
    from lokflow.benchmarks.runner import ALL, Size, run, write_json

    chosen = tuple(part.strip() for part in only.split(",") if part.strip()) or ALL
    unknown = set(chosen) - set(ALL)
    if unknown or size not in ("national", "smoke"):
        raise fail(f"unknown size or figure: {size} {sorted(unknown)}")
    dimensions = Size.named(size)
    # A terminated benchmark still stops the servers it started (finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    console.print(f"lokflow bench: {dimensions} on {platform.node()} "
                  f"({platform.processor() or platform.machine()}, Python "
                  f"{platform.python_version()})")
    figures = run(dimensions, chosen, lambda f: console.print(f"  {_line(f)}"))
    table = Table("figure", "measured", "floor", "ratio", "target", "ok")
    for f in figures:
        table.add_row(f.name, f"{f.value:,.3f} {f.unit}",
                      f"{f.floor:,.3f} {f.unit} ({f.floor_name})" if f.floor is not None else "–",
                      f"{f.ratio:.2f}" if f.ratio is not None else "–", f.target,
                      {True: "yes", False: "NO", None: "–"}[f.ok])
    console.print(table)
    if json_out:
        write_json(figures, json_out, dimensions)
        console.print(f"JSON written to {json_out}")


def _line(f: Figure) -> str:
    floor = f" (floor {f.floor:,.3f})" if f.floor is not None else ""
    return f"{f.name}: {f.value:,.3f} {f.unit}{floor} {f.extra or ''}"
