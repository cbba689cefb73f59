"""Bring Prefect in line with the database: `lokflow deploy`, `lokflow run`
and the daily sweep all call this."""

from __future__ import annotations

from lokflow.bootstrap import App
from lokflow.orchestration.deployment_specs import desired_deployments
from lokflow.orchestration.prefect_sync import DeploySummary, sync_deployments


async def refresh_deployments(app: App) -> DeploySummary:
    with app.sessions() as session:
        specs = desired_deployments(session, app.settings, app.today())
    return await sync_deployments(specs, work_pool=app.settings.work_pool,
                                  code_dir=app.settings.code_dir)
