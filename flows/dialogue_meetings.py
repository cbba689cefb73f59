"""A plan's dialogue meetings, run by its deployment on each agenda day (the
plan's `agenda_weeks_before` before each meeting): make the agenda from the
database (overdue items, items at risk, missing reports, flagged items),
store it with its tagged PDF, queue it with an invitation for the
participants through the outbox, and send.

A rerun is harmless: the agenda is made once and the outbox keys make each
email go out once; a run missed by up to a week catches up."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import select

from lokflow.agreement.agenda_mail import run_cycle
from lokflow.bootstrap import app_for_this_process
from lokflow.store import tables as t


@task(name="make-agendas", cache_policy=NO_CACHE, persist_result=False)
async def make_agendas(plan: str, today: str | None) -> dict[str, Any]:
    app = app_for_this_process()
    day = date.fromisoformat(today) if today else app.today()
    with app.sessions.begin() as session:
        row = session.scalars(select(t.Plan).where(t.Plan.slug == plan)).one()
        found = run_cycle(session, row, day, app.settings.tz, app.now())
    return {"plan": plan, "day": day.isoformat(), "agendas": found.agendas,
            "queued": found.queued}


@flow(name="dialogue-meetings", flow_run_name="{plan}", log_prints=False)
async def dialogue_meetings(plan: str, today: str | None = None) -> dict[str, Any]:
    """`today` (ISO date) overrides the run's day, e.g. to make a missed agenda."""
    result = await make_agendas(plan, today)
    sent = await app_for_this_process().send_queued(worker=f"dialogue-meetings/{plan}")
    return {**result, "sent": sent.sent, "failed": sent.failed}
