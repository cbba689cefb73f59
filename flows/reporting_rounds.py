"""Reporting rounds: every morning, open the rounds that are due (default six
weeks before a plan's annual follow-up) and queue their requests, weekly
reminders to owners who have not answered, and, at the round's deadline,
escalations of the missing answers to the coordinators. Then send."""

from __future__ import annotations

from datetime import date

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from lokflow.bootstrap import app_for_this_process
from lokflow.engine.reporting_rounds import auto_open_rounds, due_round_notices


@task(name="open-and-queue-rounds", cache_policy=NO_CACHE, persist_result=False)
async def open_and_queue(today: str | None) -> dict[str, int]:
    app = app_for_this_process()
    day = date.fromisoformat(today) if today else app.today()
    with app.sessions.begin() as session:
        opened = auto_open_rounds(session, app.now(), day, app.settings.round_recent_days)
        queued = due_round_notices(session, app.now(), day, app.settings.catch_up_days)
    return {"opened": len(opened), "queued": queued.items, **queued.by_kind}


@flow(name="reporting-rounds", log_prints=False)
async def reporting_rounds(today: str | None = None) -> dict[str, int]:
    done = await open_and_queue(today)
    report = await app_for_this_process().send_queued(worker="reporting-rounds")
    return {**done, "sent": report.sent}
