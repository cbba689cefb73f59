"""Makes the Prefect server hold exactly the deployments lokflow wants.

Idempotent: each deployment carries the fingerprint of its spec in its
`version`, so a second `lokflow deploy` changes nothing, and editing one plan
touches only that plan's deployments. Deployments of archived plans are
deleted together with their scheduled runs (Prefect may otherwise leave them,
upstream issue #15697).
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.actions import DeploymentScheduleCreate, WorkPoolCreate
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    DeploymentFilterTags,
    FlowFilter,
    FlowFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.schedules import CronSchedule, RRuleSchedule
from prefect.client.schemas.sorting import DeploymentSort
from prefect.exceptions import ObjectNotFound

from lokflow.orchestration.deployment_specs import LOKFLOW_TAG, DeploymentSpec, ScheduleSpec

PAGE = 200
PARALLEL = 8


@dataclass
class DeploySummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    api_calls: int = 0


@dataclass
class _Existing:
    id: UUID
    full_name: str
    version: str | None


async def ensure_work_pool(client: PrefectClient, name: str) -> bool:
    """Create the process work pool if it is missing; True if created."""
    try:
        await client.read_work_pool(name)
        return False
    except ObjectNotFound:
        from prefect.workers.process import ProcessWorker

        await client.create_work_pool(WorkPoolCreate(
            name=name, type="process",
            base_job_template=ProcessWorker.get_default_base_job_template(),
            description="lokflow: activity flows, sweep, rounds, sender, annual report"))
        return True


def _schedule(spec: ScheduleSpec) -> DeploymentScheduleCreate:
    schedule: Any
    if spec.kind == "rrule":
        schedule = RRuleSchedule(rrule=spec.value, timezone=spec.timezone)
    else:
        schedule = CronSchedule(cron=spec.value, timezone=spec.timezone)
    return DeploymentScheduleCreate(schedule=schedule, active=True)


async def _existing(client: PrefectClient, flow_names: dict[UUID, str]) -> list[_Existing]:
    """lokflow's deployments of these flows, paged per flow in name order (names
    are unique within a flow, so pages neither overlap nor skip)."""
    found: dict[UUID, _Existing] = {}
    for flow_id, flow in flow_names.items():
        offset = 0
        while True:
            page = await client.read_deployments(
                flow_filter=FlowFilter(id=FlowFilterId(any_=[flow_id])),
                deployment_filter=DeploymentFilter(tags=DeploymentFilterTags(
                    all_=[LOKFLOW_TAG])),
                sort=DeploymentSort.NAME_ASC, limit=PAGE, offset=offset)
            for d in page:
                found[d.id] = _Existing(d.id, f"{flow}/{d.name}", d.version)
            if len(page) < PAGE:
                break
            offset += PAGE
    return list(found.values())


async def _delete(client: PrefectClient, deployment_id: UUID) -> int:
    runs = await client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
            type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))))
    for run in runs:
        with suppress(ObjectNotFound):
            await client.delete_flow_run(run.id)
    with suppress(ObjectNotFound):  # someone else removed it first
        await client.delete_deployment(deployment_id)
    return 2 + len(runs)


async def sync_deployments(
    specs: list[DeploymentSpec], *, work_pool: str, code_dir: Path
) -> DeploySummary:
    summary = DeploySummary()
    async with get_client() as client:
        summary.api_calls += 1 + await _work_pool_calls(client, work_pool)
        flow_ids: dict[str, UUID] = {}
        for flow_name in sorted({s.flow_name for s in specs}):
            flow_ids[flow_name] = await client.create_flow_from_name(flow_name)
            summary.api_calls += 1
        existing = await _existing(client, {v: k for k, v in flow_ids.items()})
        summary.api_calls += len(flow_ids) + len(existing) // PAGE
        by_name = {e.full_name: e for e in existing}
        gate = asyncio.Semaphore(PARALLEL)

        async def upsert(spec: DeploymentSpec) -> None:
            current = by_name.get(spec.full_name)
            if current is not None and current.version == spec.fingerprint:
                summary.unchanged += 1
                return
            async with gate:
                await client.create_deployment(
                    flow_id=flow_ids[spec.flow_name], name=spec.name,
                    version=spec.fingerprint, schedules=[_schedule(s) for s in spec.schedules],
                    parameters=spec.parameters, description=spec.description,
                    work_pool_name=work_pool, tags=list(spec.tags), path=str(code_dir),
                    entrypoint=spec.entrypoint, enforce_parameter_schema=False,
                    pull_steps=[{"prefect.deployments.steps.set_working_directory":
                                 {"directory": str(code_dir)}}])
            summary.api_calls += 1
            (summary.updated if current else summary.created).append(spec.full_name)

        async def remove(stale: _Existing) -> None:
            async with gate:
                summary.api_calls += await _delete(client, stale.id)
            summary.deleted.append(stale.full_name)

        wanted = {s.full_name for s in specs}
        await asyncio.gather(*(upsert(s) for s in specs),
                             *(remove(e) for e in existing if e.full_name not in wanted))
    summary.created.sort()
    summary.updated.sort()
    summary.deleted.sort()
    return summary


async def _work_pool_calls(client: PrefectClient, work_pool: str) -> int:
    return 2 if await ensure_work_pool(client, work_pool) else 1
