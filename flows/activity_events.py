"""Prefect events of the activity flow: one per activity with something due
(one per plan in very large runs), and one summary per run with the seconds
each of its phases took (read by `lokflow bench`'s peak-day profile, and by
an operator wondering where a run's time went)."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from prefect.client.orchestration import PrefectClient, get_client
from prefect.events import Event, RelatedResource, Resource

from lokflow.domain.due_actions import DueAction
from lokflow.plans.activity_labels import ActivityLabel

EVENT_BATCH = 500
EVENT_WINDOW = 2  # batches posted but not yet stored, per run
STORED_POLL = 0.25  # seconds between checks that a batch is stored
STORED_PATIENCE = 120  # seconds to wait for one batch before posting on anyway
SUMMARY_EVENT = "lokflow.run.activity-reminders"
PLAN_EVENT = "lokflow.plan.activities-due"
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
                    flow_run_id: str, per_activity_max: int) -> list[Event]:
    """One event per activity with something due, related to its flow run;
    organisation, plan and owner units are labels of the activity's resource
    (the server spends about 0.25 ms of processor time per related resource
    of each event: with five, a peak day's 30,000 events took 90 s of a
    100 s run).

    A run with more than `per_activity_max` such activities (a national
    peak day) gets one event per plan instead, listing its activities in the
    payload. The server parses every event once per consumer of its broker:
    on two cores it stored about 420 a second, and its task-run recorder,
    which parses each event before looking at its name, fell 10,000 behind
    and dropped 11,000-15,000 messages of a 30,000-event day."""
    by_activity: dict[int, list[DueAction]] = defaultdict(list)
    for action in actions:
        by_activity[action.activity_id].append(action)
    run = RelatedResource({"prefect.resource.id": f"prefect.flow-run.{flow_run_id}",
                           "prefect.resource.role": "flow-run"})
    if len(by_activity) <= per_activity_max:
        return [_activity_event(labels[activity_id], owed, run)
                for activity_id, owed in by_activity.items()]
    by_plan: dict[str, list[tuple[ActivityLabel, list[DueAction]]]] = defaultdict(list)
    for activity_id, owed in by_activity.items():
        by_plan[labels[activity_id].plan].append((labels[activity_id], owed))
    return [_plan_event(items, run) for items in by_plan.values()]


async def post_events(events: list[Event]) -> None:
    """Posted in batches and awaited: a fire-and-forget `emit_event` lost
    about half of 30,000 events when the worker process exited (measured on
    a national peak day). Paced by the server itself: its in-memory broker
    drops events beyond 10,000 waiting per consumer (a fixed pause lost
    29,000 of 30,000 on a loaded machine), so a run keeps at most
    `EVENT_WINDOW` batches ahead of what the server has stored."""
    async with get_client() as client:
        in_flight: deque[Event] = deque()  # the last event of each batch not yet stored
        for start in range(0, len(events), EVENT_BATCH):
            while len(in_flight) >= EVENT_WINDOW:
                await _stored(client, in_flight.popleft())
            batch = events[start:start + EVENT_BATCH]
            await client.request("POST", "/events",
                                 json=[e.model_dump(mode="json") for e in batch])
            in_flight.append(batch[-1])


async def _stored(client: PrefectClient, event: Event) -> None:
    """Wait until the server has stored `event` (its broker delivers in order,
    so the batch before it is stored too), or give up after a while."""
    margin = timedelta(minutes=5)
    query = {"filter": {"id": {"id": [str(event.id)]},
                        "occurred": {"since": (event.occurred - margin).isoformat(),
                                     "until": (event.occurred + margin).isoformat()}},
             "limit": 1}
    deadline = time.monotonic() + STORED_PATIENCE
    while time.monotonic() < deadline:
        response = await client.request("POST", "/events/filter", json=query)
        if response.json().get("events"):
            return
        await asyncio.sleep(STORED_POLL)


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


def _owed(owed: list[DueAction]) -> dict[str, Any]:
    return {
        "due": sorted({a.due.isoformat() for a in owed}),
        "notices": [{"kind": a.kind, "stage": a.stage, "occurrence": a.occurrence_key}
                    for a in owed],
        "recipients": len({a.recipient.email for a in owed}),
    }


def _activity_event(label: ActivityLabel, owed: list[DueAction], run: RelatedResource) -> Event:
    return Event(
        event=f"lokflow.activity.{owed[0].kind}",
        resource=Resource({"prefect.resource.id": f"lokflow.activity.{label.plan}.{label.key}",
                           "prefect.resource.name": label.name,
                           "lokflow.organisation": label.organisation,
                           "lokflow.plan": label.plan,
                           "lokflow.owners": ",".join(label.owners)}),
        related=[run],
        payload=_owed(owed),
    )


def _plan_event(items: list[tuple[ActivityLabel, list[DueAction]]],
                run: RelatedResource) -> Event:
    first = items[0][0]
    return Event(
        event=PLAN_EVENT,
        resource=Resource({"prefect.resource.id": f"lokflow.plan.{first.plan}",
                           "prefect.resource.name": first.plan,
                           "lokflow.organisation": first.organisation,
                           "lokflow.plan": first.plan}),
        related=[run],
        payload={"activities": [{"activity": label.key, "name": label.name,
                                 "owners": list(label.owners), **_owed(owed)}
                                for label, owed in items]},
    )
