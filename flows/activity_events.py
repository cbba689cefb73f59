"""Prefect events of the activity flow: one per activity with something due,
and one summary per run with the seconds each of its phases took (read by
`lokflow bench`'s peak-day profile, and by an operator wondering where a
run's time went)."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from prefect.client.orchestration import get_client
from prefect.events import Event, RelatedResource, Resource

from lokflow.domain.due_actions import DueAction
from lokflow.plans.activity_labels import ActivityLabel

EVENT_BATCH = 500
EVENT_PAUSE = 0.5  # seconds after each batch: Prefect's in-memory broker drops a flood
SUMMARY_EVENT = "lokflow.run.activity-reminders"
T = TypeVar("T")


class Phases:
    """Wall-clock seconds per phase of one run. Phases may overlap: events
    and task runs go to Prefect while the run queues and sends."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)

    async def timed(self, name: str, work: Awaitable[T]) -> T:
        with self(name):
            return await work


def activity_events(actions: list[DueAction], labels: dict[int, ActivityLabel],
                    flow_run_id: str) -> list[Event]:
    """One event per activity, related to its flow run, organisation, plan
    and owner units."""
    by_activity: dict[int, list[DueAction]] = defaultdict(list)
    for action in actions:
        by_activity[action.activity_id].append(action)
    run = {"prefect.resource.id": f"prefect.flow-run.{flow_run_id}",
           "prefect.resource.role": "flow-run"}
    return [_event(labels[activity_id], owed, run) for activity_id, owed in by_activity.items()]


async def post_events(events: list[Event]) -> None:
    """Posted in batches and awaited: a fire-and-forget `emit_event` lost
    about half of 30,000 events when the worker process exited (measured on
    a national peak day)."""
    async with get_client() as client:
        for start in range(0, len(events), EVENT_BATCH):
            batch = events[start:start + EVENT_BATCH]
            await client.request("POST", "/events",
                                 json=[e.model_dump(mode="json") for e in batch])
            await asyncio.sleep(EVENT_PAUSE)


async def post_summary(result: dict[str, int], seconds: dict[str, float], flow_run_id: str,
                       name: str) -> None:
    """What the run did and how long each phase took, as one event of the run."""
    summary = Event(
        event=SUMMARY_EVENT,
        resource=Resource({"prefect.resource.id": f"lokflow.run.{flow_run_id}",
                           "prefect.resource.name": name}),
        related=[RelatedResource({"prefect.resource.id": f"prefect.flow-run.{flow_run_id}",
                                  "prefect.resource.role": "flow-run"})],
        payload={"result": result, "seconds": seconds})
    async with get_client() as client:
        await client.request("POST", "/events", json=[summary.model_dump(mode="json")])


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
