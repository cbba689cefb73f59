"""`lokflow bench --size smoke`: every figure of the benchmark runs end to end
at a small size, so the benchmark keeps working. Figures are not judged here
(tests check correctness, never wall-clock time); they must just be there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The figures in groups that run in parallel (each its own `lokflow bench
# --only ...` process); together they are every figure of the benchmark.
GROUPS = {
    "sync,sweep,send,memory": {"sync", "sweep", "send", "memory: sweep process"},
    "deploy,peak": {"deploy: first time", "deploy: after editing one plan", "peak day"},
    "feed,report": {"feed: p95 of a full answer", "feed: p95 of a 304", "memory: web app",
                    "feed: p95 while a sync runs", "report: one plan, HTML",
                    "report: one plan, PDF", "report: all 4 plans, HTML and PDF"},
    "hostile,import,validate,cli": {"plan reader: slowest hostile file",
                                    "import: 1,000-row workbook",
                                    "import: slowest hostile workbook refused",
                                    "validate: one plan", "cli start: validate/show/plans"},
    "owner,dashboard,public": {"owner: p95 of the overview of 30 activities",
                               "dashboard: 20-activity plan, SQLite",
                               "dashboard: 4-plan organisation, SQLite",
                               "dashboard: 20-activity plan, PostgreSQL",
                               "dashboard: 4-plan organisation, PostgreSQL",
                               "public page: p95 of a full answer",
                               "public page: p95 of a 304"},
}
MARKS = {"deploy,peak": [pytest.mark.postgres, pytest.mark.prefect_server],
         "owner,dashboard,public": [pytest.mark.postgres]}


def test_the_groups_cover_every_figure_of_the_benchmark() -> None:
    from lokflow.benchmarks.runner import ALL

    named = {part for group in GROUPS for part in group.split(",")}
    assert named == set(ALL)


def _bench(only: str, out: Path) -> dict[str, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LOKFLOW_"))}
    result = subprocess.run([sys.executable, "-m", "lokflow.cli", "bench", "--size", "smoke",
                             "--only", only, "--json", str(out)], env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {f["name"]: f for f in json.loads(out.read_text())["figures"]}


@pytest.mark.parametrize("only", [pytest.param(group, marks=MARKS.get(group, []))
                                  for group in GROUPS])
def test_every_benchmark_figure_runs_at_smoke_size(only: str, tmp_path: Path) -> None:
    figures = _bench(only, tmp_path / "bench.json")
    assert set(figures) == GROUPS[only]
    assert all(f["value"] > 0 for f in figures.values())
    if "peak day" in figures:
        assert figures["peak day"]["extra"]["failed_runs"] == 0
        peak = figures["peak day"]["extra"]
        assert peak["activities_visible"] >= peak["activities"]
        assert figures["deploy: after editing one plan"]["ok"] is True
    if "send" in figures:
        assert figures["send"]["extra"]["sent"] == figures["send"]["extra"]["messages"]
    if "validate: one plan" in figures:
        assert set(figures["cli start: validate/show/plans"]["extra"]["best_s"]) == {
            "validate", "show", "plans"}
    if "public page: p95 of a 304" in figures:
        assert figures["owner: p95 of the overview of 30 activities"]["extra"][
            "activities"] == 30
