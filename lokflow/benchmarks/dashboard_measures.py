"""`dashboard`: the coordinator's dashboards over real HTTP, on SQLite and on
PostgreSQL: one 100-activity plan's, and an organisation's with 300 plans
(an account that sees every plan). Each p95 beside GET /healthz on the same
server; the first (cold) request and the one after a new report are extras."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, select

from lokflow.access.accounts import add_user
from lokflow.benchmarks import local_measures
from lokflow.benchmarks.figures import Figure
from lokflow.benchmarks.http_probe import percentiles, serve, timed_get
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.devtools.postgres import PostgresCluster
from lokflow.devtools.processes import Children
from lokflow.plans.plan_files import PlanFile
from lokflow.settings import Settings
from lokflow.store import tables as t

REQUESTS = 60
PASSWORD = "bench-password-long-enough"
TARGET_MS = 100


def run(scratch: Path, size: Any, children: Children, main: App,
        plans: list[PlanFile]) -> Iterator[Figure]:
    yield from _measure(main, children, scratch, "SQLite", size)
    cluster = PostgresCluster().start()
    try:
        url = cluster.create_database("dashboard")
        app = bootstrap(Settings(home=scratch / "dashboard-pg", database_url=url,
                                 _env_file=None),
                        clock=FixedClock(datetime(2024, 11, 30, 9, tzinfo=UTC)))
        with app.engine.begin() as connection:
            local_measures._bulk_insert(connection, local_measures._core_rows(plans, app.now()))
        local_measures.seed_history(app.engine, (2022, 2023, 2024))
        try:
            yield from _measure(app, children, scratch, "PostgreSQL", size)
        finally:
            app.close()
    finally:
        cluster.stop()


def _log_in(client: httpx.Client, base: str) -> None:
    form = client.get(f"{base}/samordnare/logga-in").text
    found = re.search(r'name="csrf" value="([^"]*)"', form)
    assert found, "no login form"
    answer = client.post(f"{base}/samordnare/logga-in", data={
        "username": "bench", "password": PASSWORD, "csrf": found.group(1)})
    assert answer.status_code == 303, answer.text[:300]


def _new_report(app: App) -> None:
    """A report from elsewhere (another process's write): one plan changes."""
    with app.engine.begin() as connection:
        activity = connection.execute(select(t.Activity.id).limit(1)).scalar_one()
        connection.execute(insert(t.StatusReport).values(
            activity_id=activity, occurrence_key="2024", status="done", progress=100,
            reporter_name="Bench", channel="api", created_at=datetime.now(UTC)))


def _measure(app: App, children: Children, scratch: Path, database: str,
             size: Any) -> Iterator[Figure]:
    with app.sessions.begin() as session:
        add_user(session, "bench", PASSWORD, "Bench", None, datetime.now(UTC))
    base, _ = serve(children, app.settings.home, f"dashboard-web-{database}",
                    app.settings.database_url)
    plan = f"{base}/samordnare/planer/kommun001"
    home = f"{base}/samordnare"
    with httpx.Client(timeout=120, follow_redirects=False) as client:
        _log_in(client, base)
        cold_plan, cold_home = timed_get(client, plan), timed_get(client, home)
        samples: dict[str, list[float]] = {"plan": [], "home": [], "health": []}
        for _ in range(REQUESTS):
            for name, url in (("plan", plan), ("home", home), ("health", f"{base}/healthz")):
                samples[name].append(timed_get(client, url))
        _new_report(app)
        after_report = timed_get(client, home)
    _, floor = percentiles(samples["health"])
    for name, label, cold in (("plan", f"{size.activities}-activity plan", cold_plan),
                              ("home", f"{size.organisations}-plan organisation", cold_home)):
        p50, p95 = percentiles(samples[name])
        extra = {"p50_ms": round(p50, 2), "first_request_ms": round(cold, 1)}
        if name == "home":
            extra["after_one_new_report_ms"] = round(after_report, 1)
        yield Figure(f"dashboard: {label}, {database}", p95, "ms",
                     "p95 of GET /healthz, same server", floor, f"p95 < {TARGET_MS} ms",
                     p95 < TARGET_MS, extra=extra)
