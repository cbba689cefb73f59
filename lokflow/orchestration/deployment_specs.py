"""The Prefect deployments lokflow wants, computed from the database alone.

Mapping (see README, Architecture): one deployment per plan for the activity
flows, whose schedule is the set of days on which any of the plan's
activities has something to send (RDATEs at the local send time), plus one
annual-report deployment per plan, and shared deployments for the daily
safety sweep, reporting rounds and the outbox sender.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.due_actions import planned_days
from lokflow.domain.meetings import meeting_days
from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.timelines import MonthDay
from lokflow.engine.activity_facts import load_facts
from lokflow.settings import Settings
from lokflow.store import tables as t

ACTIVITY_FLOW = "activity-reminders"
SWEEP_FLOW = "safety-sweep"
SENDER_FLOW = "outbox-sender"
ROUNDS_FLOW = "reporting-rounds"
ANNUAL_FLOW = "annual-report"
INBOUND_FLOW = "inbound-replies"
MEETINGS_FLOW = "dialogue-meetings"
LOKFLOW_TAG = "lokflow"

ENTRYPOINTS = {
    ACTIVITY_FLOW: "flows/activity_reminders.py:activity_reminders",
    SWEEP_FLOW: "flows/safety_sweep.py:safety_sweep",
    SENDER_FLOW: "flows/outbox_sender.py:outbox_sender",
    ROUNDS_FLOW: "flows/reporting_rounds.py:reporting_rounds",
    ANNUAL_FLOW: "flows/annual_report.py:annual_report",
    INBOUND_FLOW: "flows/inbound_replies.py:inbound_replies",
    MEETINGS_FLOW: "flows/dialogue_meetings.py:dialogue_meetings",
}


@dataclass(frozen=True)
class ScheduleSpec:
    kind: str  # "rrule" | "cron"
    value: str
    timezone: str


@dataclass(frozen=True)
class DeploymentSpec:
    flow_name: str
    name: str
    parameters: dict[str, Any]
    tags: tuple[str, ...]
    description: str
    schedules: tuple[ScheduleSpec, ...] = field(default=())

    @property
    def entrypoint(self) -> str:
        return ENTRYPOINTS[self.flow_name]

    @property
    def full_name(self) -> str:
        return f"{self.flow_name}/{self.name}"

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything Prefect should know changes."""
        body = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()[:16]


def _clock(text: str) -> str:
    hour, minute = (int(part) for part in text.split(":"))
    return f"T{hour:02d}{minute:02d}00"


def rdate_rule(days: list[date], settings: Settings, today: date) -> str:
    """An RFC 5545 set of the given days at the local send time, with DTSTART."""
    at = _clock(settings.send_time)
    rdates = ",".join(f"{d.strftime('%Y%m%d')}{at}" for d in sorted(days))
    return f"DTSTART:{today.strftime('%Y%m%d')}{at}\nRDATE:{rdates}"


def yearly_rule(annual: MonthDay, today: date, at: str = "20:00") -> str:
    start = annual.in_year(today.year)
    return (f"DTSTART:{start.strftime('%Y%m%d')}{_clock(at)}\n"
            f"RRULE:FREQ=YEARLY;BYMONTH={annual.month};BYMONTHDAY={annual.day}")


def meetings_spec(plan: t.Plan, settings: Settings, today: date,
                  horizon: date) -> DeploymentSpec:
    """A plan's dialogue meetings: runs on each agenda day (issue 17)."""
    days = [m.agenda_day for m in meeting_days(PlanDocument.model_validate(plan.document),
                                               today, horizon + timedelta(weeks=12))
            if today <= m.agenda_day <= horizon]
    return DeploymentSpec(
        flow_name=MEETINGS_FLOW, name=plan.slug, parameters={"plan": plan.slug},
        tags=(LOKFLOW_TAG, f"org:{plan.organisation.slug}", f"plan:{plan.slug}"),
        description=(f"{plan.short_name}: makes each dialogue meeting's agenda and sends it "
                     f"with an invitation."),
        schedules=(ScheduleSpec("rrule", rdate_rule(days, settings, today),
                                settings.timezone),) if days else ())


def plan_tags(plan: t.Plan, owners: set[str]) -> tuple[str, ...]:
    return (LOKFLOW_TAG, f"org:{plan.organisation.slug}", f"plan:{plan.slug}",
            *sorted(f"owner:{key}" for key in owners))


def desired_deployments(session: Session, settings: Settings, today: date) -> list[DeploymentSpec]:
    horizon = today + timedelta(days=settings.schedule_horizon_days)
    facts = load_facts(session, settings.tz)
    activities = {a.id: a for a in session.scalars(
        select(t.Activity).where(t.Activity.archived.is_(False)))}
    days_by_plan: dict[int, set[date]] = {}
    owners_by_plan: dict[int, set[str]] = {}
    for fact in facts:
        activity = activities[fact.activity_id]
        days_by_plan.setdefault(activity.plan_id, set()).update(
            planned_days(fact, today, horizon))
        owners_by_plan.setdefault(activity.plan_id, set()).update(activity.owner_keys)
    zone = settings.timezone
    specs: list[DeploymentSpec] = []
    plans = list(session.scalars(
        select(t.Plan).where(t.Plan.archived.is_(False)).order_by(t.Plan.slug)))
    size = settings.plans_per_deployment
    for index in range(0, len(plans), size):
        shard = plans[index:index + size]
        days = sorted(set().union(*(days_by_plan.get(p.id, set()) for p in shard)))
        if len(shard) == 1:
            plan = shard[0]
            name, tags = plan.slug, plan_tags(plan, owners_by_plan.get(plan.id, set()))
            about = plan.short_name
        else:
            name = f"shard-{index // size + 1:03d}"
            tags = (LOKFLOW_TAG,)  # every event of a run carries its tags: keep them few
            about = f"{len(shard)} plans ({shard[0].slug} … {shard[-1].slug})"
        specs.append(DeploymentSpec(
            flow_name=ACTIVITY_FLOW, name=name, parameters={"plans": [p.slug for p in shard]},
            tags=tags,
            description=(f"{about}: reminders, check-ins and escalations. Each activity with "
                         f"something due appears as a Prefect event named <plan>/<activity "
                         f"id>, and as a task run of that name in runs of up to "
                         f"{settings.task_runs_max} such activities."),
            schedules=(ScheduleSpec("rrule", rdate_rule(days, settings, today), zone),)
            if days else ()))
    for plan in plans:
        annual = MonthDay.parse(plan.document["follow_up"]["annual_date"])
        specs.append(DeploymentSpec(
            flow_name=ANNUAL_FLOW, name=plan.slug, parameters={"plan": plan.slug},
            tags=(LOKFLOW_TAG, f"org:{plan.organisation.slug}", f"plan:{plan.slug}"),
            description=f"{plan.short_name}: compiles the annual follow-up on {annual}.",
            schedules=(ScheduleSpec("rrule", yearly_rule(annual, today), zone),)))
    specs += [meetings_spec(plan, settings, today, horizon) for plan in plans
              if plan.document["follow_up"].get("dialogue_meetings")]
    sweep_hour, sweep_minute = settings.sweep_time.split(":")
    specs += [
        DeploymentSpec(SWEEP_FLOW, "daily", {}, (LOKFLOW_TAG,),
                       "Decides everything due across all plans from the database alone.",
                       (ScheduleSpec("cron", f"{int(sweep_minute)} {int(sweep_hour)} * * *",
                                     zone),)),
        DeploymentSpec(ROUNDS_FLOW, "daily", {}, (LOKFLOW_TAG,),
                       "Opens reporting rounds and sends their requests and reminders.",
                       (ScheduleSpec("cron", "0 7 * * *", zone),)),
        DeploymentSpec(SENDER_FLOW, "every-10-minutes", {}, (LOKFLOW_TAG,),
                       "Delivers queued messages; retries failed deliveries.",
                       (ScheduleSpec("cron", "*/10 * * * *", zone),)),
    ]
    if settings.inbound_imap_url:
        specs.append(DeploymentSpec(
            INBOUND_FLOW, "poll", {}, (LOKFLOW_TAG,),
            "Reads owners' replies from the reply mailbox and records their reports.",
            (ScheduleSpec("cron", _every(settings.inbound_poll_minutes), zone),)))
    return specs


def _every(minutes: int) -> str:
    """A cron line for 'every N minutes' (whole hours above 59)."""
    if minutes < 60:
        return f"*/{minutes} * * * *"
    return f"0 */{min(23, minutes // 60)} * * *"
