"""The activity flow of one plan: on each day its schedule names, decide what
every activity of the plan owes (one task run per activity with something
due, named `<plan>/<activity id>` and tagged with organisation, plan and
owner units), queue it in the outbox, and send."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from prefect import flow, tags, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from lokflow.domain.due_actions import ActivityFacts, DueAction, decide
from lokflow.orchestration.flow_runtime import flow_app, send_queued
from lokflow.services.activity_facts import load_facts
from lokflow.services.outbox import notices_from_actions, queue_notices, sent_keys
from lokflow.store import tables as t


@task(name="activity", cache_policy=NO_CACHE, persist_result=False)
async def decide_activity(facts: ActivityFacts, sent: frozenset[str], today: date,
                          catch_up_days: int) -> list[DueAction]:
    """What one activity owes today (the same pure function the sweep uses)."""
    return decide([facts], sent, today, catch_up_days)


@flow(name="activity-reminders", flow_run_name="{plan}", log_prints=False)
async def activity_reminders(plan: str, today: str | None = None) -> dict[str, int]:
    app = flow_app()
    now = app.now()
    day = date.fromisoformat(today) if today else app.today()
    catch_up = app.settings.catch_up_days
    with app.sessions.begin() as session:
        facts = load_facts(session, [plan])
        sent = frozenset(sent_keys(session, date.fromordinal(day.toordinal() - catch_up - 1)))
        owed = {a.activity_id for a in decide(facts, sent, day, catch_up)}
        rows = {a.id: a for a in session.query(t.Activity).filter(t.Activity.id.in_(owed))}
        actions: list[DueAction] = []
        for fact in (f for f in facts if f.activity_id in owed):
            row = rows[fact.activity_id]
            labels = [f"org:{row.plan.organisation.slug}", f"plan:{plan}",
                      *(f"owner:{k}" for k in row.owner_keys)]
            with tags(*labels):
                actions += await decide_activity.with_options(
                    task_run_name=f"{plan}/{row.key}")(fact, sent, day, catch_up)
        queued = queue_notices(session, notices_from_actions(session, actions), now, day)
    report = await send_queued(app, worker=f"activity-reminders/{plan}")
    counts: dict[str, int] = defaultdict(int)
    for action in actions:
        counts[action.kind] += 1
    if actions:
        await create_table_artifact(
            key=f"{plan}-due-today",
            table=[{"activity": rows[a.activity_id].key, "kind": a.kind, "stage": a.stage,
                    "recipient": a.recipient.name, "due": a.due.isoformat()} for a in actions],
            description=f"{plan} {day.isoformat()}: what was due")
    return {"activities": len(owed), "queued": queued.items, "sent": report.sent,
            **counts}
