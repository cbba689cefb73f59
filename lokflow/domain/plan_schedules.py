"""From a plan's timeline words to each activity's typed schedule."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from lokflow.domain.timelines import (
    AnySchedule,
    FollowedUp,
    MonthDay,
    Schedule,
    TimelineContext,
    parse_timeline,
)

if TYPE_CHECKING:  # reading stored schedules (`lokflow show`) needs no plan documents
    from lokflow.domain.plan_document import Activity, PlanDocument

SCHEDULE_ADAPTER: TypeAdapter[Schedule] = TypeAdapter(Schedule)


def timeline_context(plan: PlanDocument) -> TimelineContext:
    """What the plan says that its activities' timelines depend on."""
    return TimelineContext(
        annual_date=MonthDay.parse(plan.follow_up.annual_date),
        adopted=plan.adopted,
        period_start=date(plan.period.start, 1, 1),
        checkins_per_year=plan.policy.reminders.checkins_per_year,
        named_dates=tuple(sorted(plan.named_dates.items())),
    )


def checkins_per_year(plan: PlanDocument, activity: Activity) -> int:
    override = activity.policy.reminders if activity.policy else None
    return (override or plan.policy.reminders).checkins_per_year


def activity_schedule(plan: PlanDocument, activity: Activity) -> AnySchedule:
    """The parsed schedule of one activity; raises TimelineError. A commitment
    to follow up has no dates whatever its timeline says (the words stay)."""
    if activity.kind == "follow_up":
        return FollowedUp()
    base = timeline_context(plan)
    context = TimelineContext(
        annual_date=base.annual_date,
        adopted=base.adopted,
        period_start=base.period_start,
        checkins_per_year=checkins_per_year(plan, activity),
        named_dates=base.named_dates,
    )
    own_day = MonthDay.parse(activity.annual_date) if activity.annual_date else None
    return parse_timeline(activity.timeline, context, annual_date=own_day)


def schedule_as_json(schedule: Schedule) -> dict[str, object]:
    return SCHEDULE_ADAPTER.dump_python(schedule, mode="json")


def schedule_from_json(data: dict[str, object]) -> Schedule:
    return SCHEDULE_ADAPTER.validate_python(data)
