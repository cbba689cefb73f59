"""The `cli start` figure: `lokflow validate`, `show` and `plans` as whole
processes, as an IT person types them, beside the floor of a Python process
that only imports Typer, measured in the same run.

These commands need neither Prefect nor the web app; the CLI loads each
command's modules only when it runs (cli/app.py), so they should start in a
fraction of a second."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lokflow.benchmarks.figures import Figure
from lokflow.settings import bundled_plans_dir

RUNS = 7
TARGET_SECONDS = 0.3
DATABASE_LIBRARIES = "import typer, sqlalchemy.orm, pydantic_settings"


def _lokflow() -> list[str]:
    """The `lokflow` script beside this Python, else `python -m lokflow.cli`."""
    script = Path(sys.executable).parent / "lokflow"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lokflow.cli"]


def _seconds(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Wall time of `runs` runs of a whole process (each must succeed)."""
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        found.append(time.perf_counter() - start)
    return found


def measure_cli_start(scratch: Path, runs: int = RUNS) -> Figure:
    """The slowest of the three commands (best of `runs` each), beside the best
    of `runs` runs of `python -c "import typer"`."""
    tierp = bundled_plans_dir() / "tierp.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOKFLOW_", "PREFECT_"))}
    env["LOKFLOW_HOME"] = str(scratch / "cli-start")
    lokflow = _lokflow()
    subprocess.run([*lokflow, "sync", str(tierp)], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # a database for show and plans (not timed)
    commands = {"validate": ["validate", str(tierp)], "show": ["show", "tierp", "kommun-1.1"],
                "plans": ["plans"]}
    measured = {name: _seconds([*lokflow, *args], env, runs) for name, args in commands.items()}
    floor = min(_seconds([sys.executable, "-c", "import typer"], env, runs))
    # What `show` and `plans` cannot go below: importing (and tearing down)
    # the libraries a database command needs, before any of lokflow's code.
    libraries = min(_seconds([sys.executable, "-c", DATABASE_LIBRARIES], env, runs))
    best = {name: min(times) for name, times in measured.items()}
    slowest = max(best.values())
    return Figure("cli start: validate/show/plans", slowest, "s",
                  f"python -c 'import typer', best of {runs}", floor,
                  f"< {TARGET_SECONDS} s for each, best of {runs}", slowest < TARGET_SECONDS,
                  extra={"best_s": {k: round(v, 3) for k, v in best.items()},
                         "database_libraries_s": round(libraries, 3),
                         "median_s": {k: round(statistics.median(v), 3)
                                      for k, v in measured.items()}})
