"""Where a peak day's time goes, phase by phase (issue 12): how long Prefect
took to start the flow runs, and what the runs spent deciding, showing task
runs, posting events, queueing and sending (from the summary event each
activity-reminders run posts, see flows/activity_events.py)."""

from __future__ import annotations

import statistics
import time
from datetime import datetime
from typing import Any

import httpx

SUMMARY_EVENT = "lokflow.run.activity-reminders"
RUN_PHASES = ("start", "decide", "task_runs", "events", "queue", "send")


def run_timings(api: str, run_ids: list[str], triggered: datetime) -> dict[str, Any]:
    """Seconds from the trigger until the runs started and ended."""
    response = httpx.post(f"{api}/flow_runs/filter", timeout=60, json={
        "flow_runs": {"id": {"any_": run_ids}}, "limit": 200})
    response.raise_for_status()
    starts, ends, running = [], [], []
    for run in response.json():
        start, end = _since(run.get("start_time"), triggered), _since(run.get("end_time"),
                                                                      triggered)
        starts += [start] if start is not None else []
        ends += [end] if end is not None else []
        if start is not None and end is not None:
            running.append(end - start)
    return {"first_run_started_s": _round(min(starts, default=None)),
            "last_run_started_s": _round(max(starts, default=None)),
            "median_run_s": _round(statistics.median(running) if running else None),
            "last_run_ended_s": _round(max(ends, default=None))}


def run_phases(api: str, since: datetime, runs: int, patience: float = 60) -> dict[str, Any]:
    """Each phase's seconds over the runs (median and slowest run), from their
    summary events; waits briefly, as events are stored after they are posted."""
    deadline = time.monotonic() + patience
    while True:
        response = httpx.post(f"{api}/events/filter", timeout=60, json={
            "filter": {"occurred": {"since": since.isoformat()},
                       "event": {"name": [SUMMARY_EVENT]}}, "limit": 50})  # the most it allows
        found = ([e["payload"]["seconds"] for e in response.json()["events"]]
                 if response.is_success else [])
        if len(found) >= runs or time.monotonic() > deadline:
            break
        time.sleep(2)
    phases: dict[str, Any] = {"runs": f"{len(found)}/{runs}"}
    for name in RUN_PHASES:
        values = [seconds.get(name, 0.0) for seconds in found]
        if values:
            phases[name] = {"median_s": _round(statistics.median(values)),
                            "max_s": _round(max(values))}
    return phases


def _since(moment: str | None, origin: datetime) -> float | None:
    return None if not moment else (datetime.fromisoformat(moment) - origin).total_seconds()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
