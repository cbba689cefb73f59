"""`owner`: the owner's overview of 30 activities over real HTTP. A
department's contact opens it from every reminder, on a phone, often on a
slow network: the server's part must stay small (target p95 < 50 ms)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from lokflow.benchmarks.dataset import plan_document
from lokflow.benchmarks.figures import Figure
from lokflow.benchmarks.http_probe import percentiles, serve, timed_get
from lokflow.bootstrap import bootstrap
from lokflow.devtools.processes import Children
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
    base, _ = serve(children, home, "owner-web")
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
            page.append(timed_get(client, url))
            health.append(timed_get(client, f"{base}/healthz"))
    p50, p95 = percentiles(page)
    _, h95 = percentiles(health)
    extra["p50_ms"] = round(p50, 2)
    yield Figure(f"owner: p95 of the overview of {ACTIVITIES} activities", p95, "ms",
                 "p95 of GET /healthz, same server", h95, "p95 < 50 ms", p95 < 50, extra=extra)
