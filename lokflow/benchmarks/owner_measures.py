"""`owner`: the owner's overview of 30 activities over real HTTP. A
department's contact opens it from every reminder, on a phone, often on a
slow network: the server's part must stay small (target p95 < 50 ms)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from lokflow.benchmarks.dataset import plan_document
from lokflow.benchmarks.figures import Figure
from lokflow.bootstrap import bootstrap
from lokflow.devtools.ports import free_port
from lokflow.devtools.processes import Children, wait_healthy
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_loading import sync_plans
from lokflow.reporting.report_links import create_report_link
from lokflow.reporting.report_queries import latest_reports
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.settings import Settings
from lokflow.store import tables as t

ACTIVITIES = 30
REQUESTS = 60
CONTACT = "kultur1@kommun997.example.org"


def _owner_plan() -> PlanFile:
    """One plan whose unit `kultur` owns all 30 activities, every kind of timeline."""
    document = plan_document(997, ACTIVITIES).model_dump(mode="json")
    for commitment in document["commitments"]:
        for activity in commitment["activities"]:
            activity["owners"] = ["kultur"]
    parsed = type(plan_document(1, 1)).model_validate(document)
    return PlanFile(Path("owner.yaml"), parsed, "owner")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95) - 1]


def _seed(home: Path) -> tuple[Settings, str]:
    """The plan, three reports per activity, and the contact's report link."""
    settings = Settings(home=home, database_url="", _env_file=None)
    app = bootstrap(settings, clock=lambda: datetime.now(UTC))
    now = app.now()
    with app.sessions.begin() as session:
        sync_plans(session, [_owner_plan()], app.clock)
        for activity in session.query(t.Activity).all():
            for n in range(3):
                record_report(session, activity, ReportInput(
                    status="in_progress", reporter_name="Kim", channel="web",  # type: ignore[arg-type]
                    progress=30 * n), now - timedelta(days=40 * (3 - n)), app.today())
        assert len(latest_reports(session, [a.id for a in session.query(t.Activity)])) == 30
        link = create_report_link(session, settings, CONTACT, "kommun997", now)
    app.close()
    return settings, link


def run(scratch: Path, children: Children) -> Iterator[Figure]:
    home = scratch / "owner"
    _, link = _seed(home)
    port = free_port()
    env = {**os.environ, "LOKFLOW_HOME": str(home), "LOKFLOW_DATABASE_URL": "",
           "LOKFLOW_BASE_URL": f"http://127.0.0.1:{port}"}
    server = children.start([sys.executable, "-m", "lokflow.cli", "serve", "--port", str(port)],
                            env, "owner-web")
    base = f"http://127.0.0.1:{port}"
    wait_healthy(f"{base}/healthz", server)
    url = base + link[link.index("/rapport/"):]
    page: list[float] = []
    health: list[float] = []
    extra: dict[str, Any] = {}
    with httpx.Client(timeout=30) as client:
        first = client.get(url)
        first.raise_for_status()
        extra["activities"] = first.text.count('<li class="owner-item')
        extra["bytes"] = len(first.content)
        for _ in range(REQUESTS):
            for bucket, target in ((page, url), (health, f"{base}/healthz")):
                start = time.perf_counter()
                client.get(target).raise_for_status()
                bucket.append((time.perf_counter() - start) * 1000)
    p50, p95 = _percentiles(page)
    _, h95 = _percentiles(health)
    extra["p50_ms"] = round(p50, 2)
    yield Figure(f"owner: p95 of the overview of {ACTIVITIES} activities", p95, "ms",
                 "p95 of GET /healthz, same server", h95, "p95 < 50 ms", p95 < 50, extra=extra)
