"""Figures that need a real Prefect server on PostgreSQL: `deploy` (register
and refresh every plan's deployments) and `peak day` (every activity due on
the same day, run by two process workers)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from lokflow.benchmarks import local_measures, peak_profile
from lokflow.benchmarks.dataset import plan_files
from lokflow.benchmarks.figures import Figure
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.devtools.ports import free_port
from lokflow.devtools.postgres import PostgresCluster
from lokflow.devtools.processes import Children, wait_healthy
from lokflow.engine.outbox import MessageStatus
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import REPO_ROOT, Settings
from lokflow.store import tables as t

# A Prefect server under a national peak needs more database connections and
# more patience than its defaults (pool 5 + 10, 10 s statements): measured
# here, the defaults time out and drop events. deploy/env.example has the same.
NATIONAL_SERVER = {"PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE": "20",
                   "PREFECT_SERVER_DATABASE_SQLALCHEMY_MAX_OVERFLOW": "20",
                   "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
                   "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "30",
                   # The in-memory broker drops events beyond 10,000 waiting per
                   # consumer: let the persister write in larger, faster batches.
                   "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "1000",
                   "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL": "1"}
PEAK_WORKERS = 2
PEAK_DAY = date(2023, 12, 1)  # 30 days before 31 Dec 2023 (a Sunday): Fri 1 Dec
PREFECT = str(Path(sys.executable).parent / "prefect")


def _load(cluster: PostgresCluster, name: str, plans: list[PlanFile], home: Path,
          plans_per_deployment: int = 1) -> App:
    url = cluster.create_database(name)
    settings = Settings(home=home, database_url=url, plans_per_deployment=plans_per_deployment,
                        _env_file=None)
    app = bootstrap(settings, clock=FixedClock(datetime(2023, 11, 1, 9, tzinfo=UTC)))
    with app.engine.begin() as connection:
        local_measures._bulk_insert(connection, local_measures._core_rows(plans, app.now()))
    return app


def run(scratch: Path, size: Any, only: tuple[str, ...], children: Children) -> Iterator[Figure]:
    cluster = PostgresCluster().start()
    try:
        cluster.create_database("prefect", ("pg_trgm",))
        port = free_port()
        api = f"http://127.0.0.1:{port}/api"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LOKFLOW_"))}
        env.update({"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                    "PREFECT_HOME": str(scratch / "prefect"), "PREFECT_API_URL": api,
                    "PREFECT_API_DATABASE_CONNECTION_URL": cluster.url("prefect", "asyncpg"),
                    "PREFECT_LOGGING_LEVEL": "WARNING", **NATIONAL_SERVER})
        server = children.start([PREFECT, "server", "start", "--host", "127.0.0.1", "--port",
                                 str(port)], env, "prefect-server")
        wait_healthy(f"{api}/health", server)
        os.environ.update({k: env[k] for k in ("PREFECT_API_URL", "PREFECT_HOME")})
        if "deploy" in only:
            yield from _deploy(cluster, scratch, size, api)
        if "peak" in only:
            yield _peak(cluster, scratch, size, api, env, children)
    finally:
        children.stop_all()
        cluster.stop()




def _deploy(cluster: PostgresCluster, scratch: Path, size: Any, api: str) -> Iterator[Figure]:
    from lokflow.orchestration.deployment_specs import desired_deployments
    from lokflow.orchestration.prefect_sync import sync_deployments

    plans = plan_files(size.organisations, size.activities)
    app = _load(cluster, "lokflow_deploy", plans, scratch / "deploy")

    def deploy() -> tuple[float, Any, int]:
        start = time.perf_counter()
        with app.sessions() as session:
            specs = desired_deployments(session, app.settings, date(2023, 11, 1))
        summary = asyncio.run(sync_deployments(specs, work_pool="bench", code_dir=REPO_ROOT))
        return time.perf_counter() - start, summary, len(specs)

    seconds, first, count = deploy()
    floor = asyncio.run(_bare_deployments(count))
    yield Figure("deploy: first time", seconds, "s",
                 "the same number of bare create_deployment calls, 8 at a time", floor,
                 target=f"{count} deployments for {size.organisations * size.activities} "
                 "activities", extra={"created": len(first.created),
                                      "api_calls": first.api_calls})
    edited = plans[0].document.model_copy(deep=True)
    activity = edited.commitments[0].activities[0]
    object.__setattr__(activity, "timeline", "2024-02-29")
    with app.sessions.begin() as session:
        sync_plans(session, [PlanFile(plans[0].path, edited, plans[0].text + "edited")],
                   app.clock)
    seconds, again, _ = deploy()
    yield Figure("deploy: after editing one plan", seconds, "s",
                 "one bare create_deployment call", asyncio.run(_bare_deployments(1)),
                 target="touch only that plan's deployment",
                 ok=again.updated == [f"activity-reminders/{edited.slug}"] and not again.created,
                 extra={"updated": again.updated, "api_calls": again.api_calls})
    app.close()


async def _bare_deployments(count: int) -> float:
    """The floor of `deploy`: creating `count` deployments with nothing in them
    (no schedule, no lookups), then removing them again (not timed)."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        flow_id = await client.create_flow_from_name("bench-floor")
        gate = asyncio.Semaphore(8)

        async def create(n: int) -> Any:
            async with gate:
                return await client.create_deployment(flow_id=flow_id, name=f"floor-{n}")

        start = time.perf_counter()
        ids = await asyncio.gather(*(create(n) for n in range(count)))
        seconds = time.perf_counter() - start
        for deployment_id in ids:
            await client.delete_deployment(deployment_id)
    return seconds


def _peak(cluster: PostgresCluster, scratch: Path, size: Any, api: str, env: dict[str, str],
          children: Children) -> Figure:
    from lokflow.orchestration.deployment_specs import desired_deployments
    from lokflow.orchestration.prefect_sync import sync_deployments

    plans = plan_files(size.organisations, size.activities, everything_due="2023")
    # A run per worker (issue 12): each run decides its shard in one pass, and
    # a process worker starts two Python processes instead of ten. Ten runs a
    # day on 8 worker slots took two waves (116 s, the last run starting at 90 s).
    shard = max(1, size.organisations // PEAK_WORKERS)
    floor, floor_phases = _decide_without_prefect(cluster, plans, scratch)
    app = _load(cluster, "lokflow_peak", plans, scratch / "peak", shard)
    with app.sessions() as session:
        specs = [s for s in desired_deployments(session, app.settings, date(2023, 11, 1))
                 if s.flow_name == "activity-reminders"]
    asyncio.run(sync_deployments(specs, work_pool="peak", code_dir=REPO_ROOT))
    smtp_port = free_port()
    children.start([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
                    "-c", "aiosmtpd.handlers.Sink"], env, "peak-smtp")
    worker_env = {**env, "LOKFLOW_HOME": str(scratch / "peak"),
                  "LOKFLOW_DATABASE_URL": app.settings.database_url,
                  "LOKFLOW_PLANS_PER_DEPLOYMENT": str(shard),
                  "LOKFLOW_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
    for n in range(1, PEAK_WORKERS + 1):
        children.start([PREFECT, "worker", "start", "--pool", "peak", "--type", "process",
                        "--limit", "4", "--name", f"peak-{n}"], worker_env, f"peak-worker-{n}")
    start, triggered = time.perf_counter(), datetime.now(UTC)
    ids, states = asyncio.run(_run_all(api, [s.full_name for s in specs], plans))
    runs_done = time.perf_counter() - start
    activities = size.organisations * size.activities
    events = _wait_for_events(api, activities, deadline=start + 600)
    seconds = time.perf_counter() - start
    profile = {"prefect": peak_profile.run_timings(api, ids, triggered),
               "runs": peak_profile.run_phases(api, triggered, len(ids)),
               "events_visible_s": round(seconds, 1)}
    with app.sessions() as session:
        items = session.scalar(select(func.count()).select_from(t.OutboxItem)) or 0
        sent = session.scalar(select(func.count()).select_from(t.OutboxMessage).where(
            t.OutboxMessage.status == MessageStatus.SENT)) or 0
    task_runs = _count_task_runs(api)
    app.close()
    return Figure("peak day", seconds, "s", "deciding and queueing the same day without "
                  "Prefect (one process, lokflow sweep)", floor,
                  target="< 60 s: all decided, queued, sent, visible",
                  ok=seconds < 60 and events >= activities and all(
                      s == "COMPLETED" for s in states),
                  extra={"plans_per_deployment": shard, "flow_runs": len(states),
                         "runs_completed_after_s": round(runs_done, 1),
                         "task_runs": task_runs, "activities_visible": events,
                         "activities": activities, "outbox_items": items, "emails_sent": sent,
                         "failed_runs": sum(1 for s in states if s != "COMPLETED"),
                         "phases": profile, "floor_phases": floor_phases})


def _decide_without_prefect(cluster: PostgresCluster, plans: list[PlanFile],
                            scratch: Path) -> tuple[float, dict[str, float]]:
    """The floor: the same decisions and queueing in one process, one
    transaction, no Prefect (what `lokflow sweep --no-send` does), by phase."""
    from lokflow.engine.due_run import decide_due, queue_actions

    app = _load(cluster, "lokflow_peak_floor", plans, scratch / "peak-floor")
    start = time.perf_counter()
    with app.sessions.begin() as session:
        actions = decide_due(session, PEAK_DAY, app.settings.tz)
        decided = time.perf_counter()
        queue_actions(session, actions, app.now(), PEAK_DAY)
        queued = time.perf_counter()
    seconds = time.perf_counter() - start
    app.close()
    return seconds, {"decide_s": round(decided - start, 2), "queue_s": round(queued - decided, 2),
                     "commit_s": round(seconds - (queued - start), 2)}


async def _run_all(api: str, names: list[str],
                   plans: list[PlanFile]) -> tuple[list[str], list[str]]:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}):
        gate = asyncio.Semaphore(16)

        async def trigger(name: str) -> Any:
            async with gate:
                return await run_deployment(  # type: ignore[misc]
                    name, parameters={"today": PEAK_DAY.isoformat()}, timeout=0)

        runs = await asyncio.gather(*(trigger(n) for n in names))
        ids = [r.id for r in runs]
        async with get_client() as client:
            from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
            from prefect.exceptions import PrefectHTTPStatusError

            while True:
                states = []
                try:
                    for start in range(0, len(ids), 200):
                        found = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
                            id=FlowRunFilterId(any_=ids[start:start + 200])), limit=200)
                        states += [r.state.type.value if r.state else "NONE" for r in found]
                except (PrefectHTTPStatusError, httpx.HTTPError):
                    await asyncio.sleep(2)  # a busy server may refuse a poll: ask again
                    continue
                if len(states) == len(ids) and all(
                        s in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") for s in states):
                    return [str(i) for i in ids], states
                await asyncio.sleep(2)


def _visible_activities(api: str) -> int:
    """Activities visible in Prefect: one per activity event, plus those listed
    by the per-plan events of runs above `LOKFLOW_ACTIVITY_EVENTS_MAX`."""
    since = {"since": "2023-01-01T00:00:00Z"}
    response = httpx.post(f"{api}/events/count-by/event", timeout=60, json={
        "filter": {"occurred": since, "event": {"prefix": ["lokflow.activity."]}},
        "time_unit": "week", "time_interval": 52})
    if not response.is_success:
        return -1
    count = sum(item["count"] for item in response.json())
    page = httpx.post(f"{api}/events/filter", timeout=60, json={
        "filter": {"occurred": since, "event": {"prefix": ["lokflow.plan."]}}, "limit": 50}).json()
    while True:
        count += sum(len(event["payload"]["activities"]) for event in page["events"])
        if not page.get("next_page"):
            return count
        page = httpx.get(page["next_page"], timeout=60).json()


def _wait_for_events(api: str, expected: int, deadline: float) -> int:
    """Events are stored by the server after the runs end: wait until every
    activity is visible (or the deadline passes)."""
    count = _visible_activities(api)
    while count < expected and time.perf_counter() < deadline:
        time.sleep(2)
        count = _visible_activities(api)
    return count


def _count_task_runs(api: str) -> int:
    deadline = time.monotonic() + 60
    count = -1
    while time.monotonic() < deadline:  # task runs arrive as events: wait until stable
        now = int(httpx.post(f"{api}/task_runs/count", json={}, timeout=30).json())
        if now == count:
            return now
        count = now
        time.sleep(3)
    return count
