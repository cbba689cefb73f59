"""Bring Prefect in line with the database: `lokflow deploy`, `lokflow run`
and the daily sweep all call this."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from lokflow.orchestration.deployment_specs import desired_deployments
from lokflow.orchestration.prefect_sync import DeploySummary, sync_deployments
from lokflow.settings import Settings


async def refresh_deployments(sessions: sessionmaker[Session], settings: Settings,
                              today: date) -> DeploySummary:
    with sessions() as session:
        specs = desired_deployments(session, settings, today)
    return await sync_deployments(specs, work_pool=settings.work_pool,
                                  code_dir=settings.code_dir)
