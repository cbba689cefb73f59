"""The `public` figure: a plan's public page (öppenhet och insyn) over real
HTTP, its full answer from the cache and its 304, each beside GET /healthz
on the same server (the floor: what any answer of that server costs)."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from lokflow.benchmarks.dataset import plan_document
from lokflow.benchmarks.figures import Figure
from lokflow.benchmarks.http_probe import conditional_rounds, percentiles, serve
from lokflow.bootstrap import bootstrap
from lokflow.devtools.processes import Children
from lokflow.domain.statuses import Status
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_loading import sync_plans
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.settings import Settings
from lokflow.store import tables as t

REQUESTS = 100
TARGET_MS = 20
ACTIVITIES = 100  # a large municipality's plan (Botkyrka's has 78), at every size


def _public_plan(activities: int) -> PlanFile:
    """One synthetic plan with `activities` activities and a public page."""
    document = plan_document(998, activities).model_dump(mode="json")
    document["public"] = True
    parsed = type(plan_document(1, 1)).model_validate(document)
    return PlanFile(Path("public.yaml"), parsed, "public")


def _seed(home: Path, activities: int) -> str:
    """Load the plan and report on every activity once; returns its slug."""
    settings = Settings(home=home, database_url="", _env_file=None)
    now = datetime.now(UTC)
    app = bootstrap(settings, clock=lambda: now)
    try:
        plan = _public_plan(activities)
        with app.sessions.begin() as session:
            sync_plans(session, [plan], app.clock)
            rows = session.scalars(select(t.Activity).order_by(t.Activity.id))
            for n, activity in enumerate(rows):
                record_report(session, activity, ReportInput(
                    status=list(Status)[n % len(Status)], reporter_name="Bench",
                    channel="cli"), now - timedelta(minutes=n), app.today())
        return plan.document.slug
    finally:
        app.close()


def run(scratch: Path, size: Any, children: Children) -> Iterator[Figure]:
    """The same at every `size`: one public plan is what a page serves."""
    home = scratch / "public"
    slug = _seed(home, ACTIVITIES)
    base, _ = serve(children, home, "web-public")
    url = f"{base}/insyn/{slug}"
    with httpx.Client(timeout=30) as client:
        first = client.get(url)
        first.raise_for_status()
        full, fresh, health = conditional_rounds(client, url, base, first.headers["etag"],
                                                 REQUESTS)
    floor = percentiles(health)[1]
    p95, p304 = percentiles(full)[1], percentiles(fresh)[1]
    yield Figure("public page: p95 of a full answer", p95, "ms",
                 "p95 of GET /healthz, same server", floor, f"p95 < {TARGET_MS} ms",
                 p95 < TARGET_MS, extra={"p50_ms": round(statistics.median(full), 2),
                                         "activities": ACTIVITIES,
                                         "healthz_p50_ms": round(statistics.median(health), 2),
                                         "bytes": len(first.content)})
    yield Figure("public page: p95 of a 304", p304, "ms", "p95 of GET /healthz, same server",
                 floor, f"p95 < {TARGET_MS} ms", p304 < TARGET_MS,
                 extra={"p50_ms": round(statistics.median(fresh), 2)})
