"""The activity flow: on each day its schedule names, decide what every
activity of its plans owes, make each activity visible in Prefect, queue the
notices in the outbox, and send.

Visibility per activity, measured on a 2-core machine:
- every activity with something due gets a Prefect event, resource
  `lokflow.activity.<plan>.<id>`, named `<plan>/<id>`, related to its flow
  run and labelled with its organisation, plan and owner units (posted in
  batches of 500 as fast as the server stores them, see `activity_events`,
  while the run queues and sends); a run with more than
  `LOKFLOW_ACTIVITY_EVENTS_MAX` such activities gets one event per plan
  listing them instead;
- and, when a run has at most `LOKFLOW_TASK_RUNS_MAX` such activities, one
  task run each, named `<plan>/<id>` (about 15 ms each, run 16 at a time).
  Larger runs (a national peak day) get one task run per plan instead.
Tags are set on the deployment, not on task runs: a tagged task run checks
tag concurrency limits on the server, which cost 100-250 ms per task run.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.activity_events import Phases, activity_events, post_events, post_summary
from lokflow.bootstrap import App, app_for_this_process
from lokflow.domain.due_actions import DueAction
from lokflow.engine.due_run import decide_due, queue_actions
from lokflow.engine.outbox import QueueResult
from lokflow.plans.activity_labels import ActivityLabel, activity_labels

PARALLEL_TASKS = 16


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
    phases = Phases()
    with phases("start"):
        app = app_for_this_process()
    now = app.now()
    day = date.fromisoformat(today) if today else app.today()
    with phases("decide"), app.sessions() as session:
        actions = decide_due(session, day, app.settings.tz, plans, app.settings.catch_up_days)
        labels = activity_labels(session, {a.activity_id for a in actions})
    run_id = str(flow_run.id)
    visible = asyncio.gather(
        phases.timed("task_runs", _show_visibly(actions, labels, app.settings.task_runs_max)),
        phases.timed("events", post_events(activity_events(
            actions, labels, run_id, app.settings.activity_events_max))))
    try:
        with phases("queue"):
            queued = await asyncio.to_thread(_queue, app, actions, now, day)
        with phases("send"):
            report = await app.send_queued(worker="activity-reminders")
    finally:
        await visible
    counts: dict[str, int] = defaultdict(int)
    for action in actions:
        counts[action.kind] += 1
    result = {"activities": len(labels), "queued": queued.items, "sent": report.sent, **counts}
    await post_summary(result, phases.seconds, run_id, _run_name())
    return result


def _queue(app: App, actions: list[DueAction], now: datetime, day: date) -> QueueResult:
    """One write transaction, in a thread: events and task runs go on meanwhile."""
    with app.sessions.begin() as session:
        return queue_actions(session, actions, now, day)


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
