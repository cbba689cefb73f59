"""Runs the benchmark figures in order, in a scratch folder, and reports them."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from lokflow.benchmarks import local_measures
from lokflow.benchmarks.child_memory import command_peak_mib
from lokflow.benchmarks.cli_start import measure_cli_start
from lokflow.benchmarks.dataset import plan_files
from lokflow.benchmarks.figures import Figure
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.devtools.ports import free_port
from lokflow.devtools.processes import Children
from lokflow.settings import Settings

SWEEP_DAY = date(2023, 12, 1)
ALL = ("sync", "sweep", "send", "memory", "deploy", "peak", "feed", "report", "hostile",
       "import", "validate", "owner", "dashboard", "public", "cli")


@dataclass(frozen=True)
class Size:
    organisations: int
    activities: int
    messages: int
    feed_events: int
    plan_bytes: int = 1 << 20
    repeats: int = 7  # best of how many runs, where a figure takes the best

    @classmethod
    def named(cls, name: str) -> Size:
        return {"national": cls(300, 100, 10_000, 1_000),
                "smoke": cls(4, 20, 100, 60, 128 << 10, 2)}[name]


def _app(scratch: Path, name: str) -> App:
    settings = Settings(home=scratch / name, database_url="", smtp_url="",
                        _env_file=None)
    return bootstrap(settings, clock=FixedClock(datetime(2023, 12, 1, 6, 30, tzinfo=UTC)))


def run(size: Size, only: tuple[str, ...], report: Callable[[Figure], None]) -> list[Figure]:
    scratch = Path(tempfile.mkdtemp(prefix="lokflow-bench-"))
    figures: list[Figure] = []
    children = Children(scratch)

    def add(figure: Figure) -> None:
        figures.append(figure)
        report(figure)

    try:
        app = _app(scratch, "main")
        plans = plan_files(size.organisations, size.activities)
        if "sync" in only or {"sweep", "send", "memory"} & set(only):
            add(local_measures.measure_sync(app, _app(scratch, "floor"), plans))
            reports = local_measures.seed_history(app.engine, (2022, 2023, 2024))
            if "sweep" in only:
                figure = local_measures.measure_sweep(app, SWEEP_DAY)
                figure.extra["status_reports"] = reports
                add(figure)
            if "memory" in only:
                add(_sweep_memory(app))
            if "send" in only:
                port = free_port()
                children.start([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                                f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
                               dict(os.environ), "smtp")
                _wait_port(port)
                add(local_measures.measure_send(app, f"smtp://127.0.0.1:{port}", size.messages))
        if {"deploy", "peak"} & set(only):
            from lokflow.benchmarks.prefect_measures import run as prefect_figures

            for figure in prefect_figures(scratch, size, only, children):
                add(figure)
        if "hostile" in only:
            add(local_measures.measure_hostile_plans(scratch, size.plan_bytes))
        if "import" in only:
            from lokflow.benchmarks import import_measures

            add(import_measures.measure_import(lambda n: _app(scratch, f"import-{n}")))
            add(import_measures.measure_hostile(scratch))
        if "validate" in only:
            add(local_measures.measure_validate(scratch, plans[0]))
        if "owner" in only:
            from lokflow.benchmarks.owner_measures import run as owner_figures

            for figure in owner_figures(scratch, children):
                add(figure)
        if {"report", "dashboard"} & set(only) and not {"sync", "sweep", "send",
                                                          "memory"} & set(only):
            local_measures.load_quickly(app, plans)  # these need plans and history
        if "cli" in only:
            add(measure_cli_start(scratch, size.repeats))
        if "feed" in only or "report" in only:
            from lokflow.benchmarks.web_measures import run as web_figures

            for figure in web_figures(scratch, size, only, children, app):
                add(figure)
        if "dashboard" in only:
            from lokflow.benchmarks.dashboard_measures import run as dashboard_figures

            for figure in dashboard_figures(scratch, size, children, app, plans):
                add(figure)
        if "public" in only:  # issue 17: the public page beside /healthz
            from lokflow.benchmarks.public_measures import run as public_figures

            for figure in public_figures(scratch, size, children):
                add(figure)
        app.close()
    except BaseException:
        children.stop_all()
        report_failure(scratch)
        raise
    children.stop_all()
    shutil.rmtree(scratch, ignore_errors=True)
    return figures


def report_failure(scratch: Path) -> None:
    """Keep the logs of a failed run (servers, workers) and say where."""
    print(f"benchmark failed; logs kept in {scratch}", file=sys.stderr)


def _wait_port(port: int) -> None:
    import socket
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def _sweep_memory(app: App) -> Figure:
    """Peak RSS of a separate process running the daily sweep (decide + queue)."""
    env = {**os.environ, "LOKFLOW_HOME": str(app.settings.home), "LOKFLOW_DATABASE_URL": "",
           "LOKFLOW_SMTP_URL": ""}
    peak = command_peak_mib(["sweep", "--today", SWEEP_DAY.isoformat(), "--no-send"], env)
    return Figure("memory: sweep process", peak, "MiB",
                  target="peak RSS of a worker running the daily sweep")


def write_json(figures: list[Figure], path: Path, size: Size) -> None:
    path.write_text(json.dumps({"size": size.__dict__, "figures": [f.as_json() for f in figures]},
                               indent=2, ensure_ascii=False, default=str))
