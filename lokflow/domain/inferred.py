"""Which of an activity's values the source does not give.

The plan file marks them (`inferred` on the activity, `follow_up.inferred`
for the plan's follow-up day); a yearly activity that falls due on an
inferred follow-up day has an inferred date too. The result is stored with
the activity, so the feed, the annual report, `lokflow show`, the API and the
pages all show the same marks.
"""

from __future__ import annotations

from lokflow.domain.plan_document import Activity, PlanDocument
from lokflow.domain.timelines import AnySchedule, MonthDay, Yearly


def activity_inferred(plan: PlanDocument, activity: Activity,
                      schedule: AnySchedule) -> list[str]:
    """The activity's inferred fields, in the order the file gives them."""
    found: list[str] = list(dict.fromkeys(activity.inferred))
    on_follow_up_day = (
        isinstance(schedule, Yearly) and activity.annual_date is None
        and schedule.month_day == MonthDay.parse(plan.follow_up.annual_date))
    if on_follow_up_day and "annual_date" in plan.follow_up.inferred and (
            "annual_date" not in found):
        found.append("annual_date")
    return found
