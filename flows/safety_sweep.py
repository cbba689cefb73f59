"""The daily safety sweep: decides everything due across all plans from the
database alone, so that nothing is missed when a scheduled run was lost
(server down, worker down, clock change). Shares the decision function and
the outbox with the activity flows, so it can never double-send."""

from __future__ import annotations

from datetime import date

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from lokflow.bootstrap import app_for_this_process
from lokflow.engine.due_run import sweep_everything
from lokflow.orchestration.refresh import refresh_deployments as refresh


@task(name="decide-all-plans", cache_policy=NO_CACHE, persist_result=False)
async def decide_all(today: str | None) -> dict[str, int]:
    app = app_for_this_process()
    day = date.fromisoformat(today) if today else app.today()
    with app.sessions.begin() as session:
        run = sweep_everything(session, app.now(), day,
                               catch_up_days=app.settings.catch_up_days,
                               zone=app.settings.tz,
                               recent_days=app.settings.round_recent_days)
    rounds = run.rounds.items if run.rounds else 0
    return {"decided": len(run.actions), "queued": run.queued.items + rounds,
            **run.queued.by_kind, "round_notices": rounds}


@task(name="refresh-deployments", cache_policy=NO_CACHE, persist_result=False)
async def refresh_deployments() -> dict[str, int]:
    """Schedules look `schedule_horizon_days` ahead: keep them current daily."""
    app = app_for_this_process()
    summary = await refresh(app.sessions, app.settings, app.today())
    return {"deployments_changed": len(summary.created) + len(summary.updated)
            + len(summary.deleted)}


@flow(name="safety-sweep", log_prints=False)
async def safety_sweep(today: str | None = None, refresh: bool = True) -> dict[str, int]:
    decided = await decide_all(today)
    report = await app_for_this_process().send_queued(worker="safety-sweep")
    refreshed = await refresh_deployments() if refresh else {}
    return {**decided, "sent": report.sent, "retry": report.retried, "failed": report.failed,
            **refreshed}
