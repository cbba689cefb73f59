"""The activity flow: on each day its schedule names, decide what every
activity of its plans owes, make each activity visible in Prefect, queue the
notices in the outbox, and send.

Visibility per activity, measured on a 2-core machine:
- every activity with something due gets a Prefect event, resource
  `lokflow.activity.<plan>.<id>`, named `<plan>/<id>`, related to its flow
  run, organisation, plan and owner units (posted in batches of 500);
- and, when a run has at most `LOKFLOW_TASK_RUNS_MAX` such activities, one
  task run each, named `<plan>/<id>` (about 15 ms each, run 16 at a time).
  Larger runs (a national peak day) get one task run per plan instead.
Tags are set on the deployment, not on task runs: a tagged task run checks
tag concurrency limits on the server, which cost 100-250 ms per task run.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.events import Event, RelatedResource, Resource
from prefect.runtime import flow_run

from lokflow.bootstrap import app_for_this_process
from lokflow.domain.due_actions import DueAction
from lokflow.engine.due_run import decide_due, queue_actions
from lokflow.plans.activity_labels import ActivityLabel, activity_labels

PARALLEL_TASKS = 16
EVENT_BATCH = 500
EVENT_PAUSE = 0.5


@task(name="activity", cache_policy=NO_CACHE, persist_result=False)
async def activity_notices(actions: list[DueAction]) -> list[DueAction]:
    """What these activities owe today, as decided once for the whole run:
    a task run per activity shows it in Prefect without deciding again."""
    return actions


def _run_name() -> str:
    plans = flow_run.parameters.get("plans") or []
    return plans[0] if len(plans) == 1 else f"{len(plans)} plans: {plans[0]} …"


@flow(name="activity-reminders", flow_run_name=_run_name, log_prints=False)
async def activity_reminders(plans: list[str], today: str | None = None) -> dict[str, int]:
    app = app_for_this_process()
    now = app.now()
    day = date.fromisoformat(today) if today else app.today()
    with app.sessions() as session:
        actions = decide_due(session, day, app.settings.tz, plans, app.settings.catch_up_days)
        labels = activity_labels(session, {a.activity_id for a in actions})
    await _show_visibly(actions, labels, app.settings.task_runs_max)
    await _post_events(actions, labels)
    with app.sessions.begin() as session:
        queued = queue_actions(session, actions, now, day)
    report = await app.send_queued(worker="activity-reminders")
    counts: dict[str, int] = defaultdict(int)
    for action in actions:
        counts[action.kind] += 1
    return {"activities": len(labels), "queued": queued.items, "sent": report.sent, **counts}


async def _show_visibly(actions: list[DueAction], labels: dict[int, ActivityLabel],
                        task_runs_max: int) -> None:
    """One task run per activity, or per plan when there are too many."""
    groups: dict[str, list[DueAction]] = defaultdict(list)
    per_activity = len(labels) <= task_runs_max
    for action in actions:
        label = labels[action.activity_id]
        groups[label.name if per_activity else label.plan].append(action)
    gate = asyncio.Semaphore(PARALLEL_TASKS)

    async def run(name: str, group: list[DueAction]) -> None:
        count = len({a.activity_id for a in group})
        label = name if count == 1 else f"{name} ({count} activities)"
        async with gate:
            await activity_notices.with_options(task_run_name=label)(group)

    await asyncio.gather(*(run(name, group) for name, group in groups.items()))


async def _post_events(actions: list[DueAction], labels: dict[int, ActivityLabel]) -> None:
    """One event per activity, posted in batches and awaited: a fire-and-forget
    `emit_event` lost about half of 30,000 events when the worker process
    exited (measured on a national peak day)."""
    by_activity: dict[int, list[DueAction]] = defaultdict(list)
    for action in actions:
        by_activity[action.activity_id].append(action)
    run = {"prefect.resource.id": f"prefect.flow-run.{flow_run.id}",
           "prefect.resource.role": "flow-run"}
    events = [_event(labels[activity_id], owed, run)
              for activity_id, owed in by_activity.items()]
    async with get_client() as client:
        for start in range(0, len(events), EVENT_BATCH):
            batch = events[start:start + EVENT_BATCH]
            await client.request("POST", "/events",
                                 json=[e.model_dump(mode="json") for e in batch])
            await asyncio.sleep(EVENT_PAUSE)  # paced: Prefect's broker drops a flood


def _event(label: ActivityLabel, owed: list[DueAction], run: dict[str, str]) -> Event:
    payload: dict[str, Any] = {
        "due": sorted({a.due.isoformat() for a in owed}),
        "notices": [{"kind": a.kind, "stage": a.stage, "occurrence": a.occurrence_key}
                    for a in owed],
        "recipients": len({a.recipient.email for a in owed}),
    }
    related = [run,
               {"prefect.resource.id": f"lokflow.organisation.{label.organisation}",
                "prefect.resource.role": "organisation"},
               {"prefect.resource.id": f"lokflow.plan.{label.plan}",
                "prefect.resource.role": "plan"},
               *({"prefect.resource.id": f"lokflow.unit.{label.plan}.{unit}",
                  "prefect.resource.role": "owner"} for unit in label.owners)]
    return Event(
        event=f"lokflow.activity.{owed[0].kind}",
        resource=Resource({"prefect.resource.id": f"lokflow.activity.{label.plan}.{label.key}",
                           "prefect.resource.name": label.name}),
        related=[RelatedResource(r) for r in related],
        payload=payload,
    )
