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

pytestmark = [pytest.mark.postgres, pytest.mark.prefect_server]

EXPECTED = {"sync", "sweep", "send", "memory: sweep process", "deploy: first time",
            "deploy: after editing one plan", "peak day", "feed: p95 of a full answer",
            "feed: p95 of a 304", "memory: web app", "feed: p95 while a sync runs",
            "report: one plan, HTML",
            "report: one plan, PDF", "report: all 4 plans, HTML and PDF",
            "plan reader: slowest hostile file", "import: 1,000-row workbook",
            "import: slowest hostile workbook refused", "validate: one plan",
            "owner: p95 of the overview of 30 activities",
            "dashboard: 20-activity plan, SQLite", "dashboard: 4-plan organisation, SQLite",
            "dashboard: 20-activity plan, PostgreSQL",
            "dashboard: 4-plan organisation, PostgreSQL",
            "public page: p95 of a full answer", "public page: p95 of a 304",
            "cli start: validate/show/plans"}


def test_every_benchmark_figure_runs_at_smoke_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LOKFLOW_"))}
    result = subprocess.run([sys.executable, "-m", "lokflow.cli", "bench", "--size", "smoke",
                             "--json", str(out)], env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = {f["name"]: f for f in json.loads(out.read_text())["figures"]}
    assert set(figures) == EXPECTED
    assert all(f["value"] > 0 for f in figures.values())
    assert figures["peak day"]["extra"]["failed_runs"] == 0
    assert figures["peak day"]["extra"]["events"] >= figures["peak day"]["extra"]["activities"]
    assert figures["deploy: after editing one plan"]["ok"] is True
    assert figures["send"]["extra"]["sent"] == figures["send"]["extra"]["messages"]
    assert set(figures["cli start: validate/show/plans"]["extra"]["best_s"]) == {
        "validate", "show", "plans"}
    assert figures["owner: p95 of the overview of 30 activities"]["extra"]["activities"] == 30
