"""What happens after an owner reported: who reads it, and when lokflow
writes to them next about each activity. Shown on the confirmation and in the
answer to a reply by email, so the owner never wonders whether it arrived."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lokflow.domain.due_actions import ActivityFacts, reminder_days
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.domain.statuses import Status
from lokflow.plans.plan_queries import plan_calendar
from lokflow.reporting.owner_overview import OwnerItem, OwnerOverview
from lokflow.reporting.owner_reports import Saved


@dataclass(frozen=True)
class NextStep:
    """A sentence key of `texts` and its values (dates stay dates)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def next_steps(saved: list[Saved], overview: OwnerOverview, today: date,
               language: str) -> list[NextStep]:
    """One general step (who reads it), then one per saved report."""
    header = overview.header
    who = header.coordinator
    steps = [NextStep("next_reader", {"name": who.name if who else "", "email":
                                      who.email if who else ""})]
    steps += [NextStep("next_round", {"plan": r.plan_name, "deadline": r.deadline})
              for r in header.rounds]
    for entry in saved:
        item = overview.item(entry.activity.id)
        steps.append(_for_report(entry, item, today, language))
    return steps


def _for_report(entry: Saved, item: OwnerItem | None, today: date, language: str) -> NextStep:
    report, label = entry.report, item.label if item else entry.activity.key
    status = Status(report.status)
    if report.proposed_date is not None:
        return NextStep("next_date", {"label": label, "date": report.proposed_date})
    if status.resolves:
        return NextStep("next_resolved", {"label": label, "status": status.label(language)})
    if item is None or item.occurrence is None:
        return NextStep("next_on_demand", {"label": label})
    if item.overdue_since is not None:
        return NextStep("next_overdue", {"label": label, "date": item.overdue_since})
    if item.occurrence.kind == "checkin":
        return NextStep("next_checkin", {"label": label, "date": item.occurrence.due})
    reminder = next_reminder(entry, item.occurrence.due, today)
    if reminder is None:
        return NextStep("next_deadline", {"label": label, "due": item.occurrence.due})
    return NextStep("next_reminder", {"label": label, "date": reminder,
                                      "due": item.occurrence.due})


def next_reminder(entry: Saved, due: date, today: date) -> date | None:
    """The next reminder day before `due` under the activity's own policy."""
    policy = entry.activity.policy.get("reminders", {})
    facts = ActivityFacts(
        activity_id=entry.activity.id, schedule=schedule_from_json(entry.activity.schedule),
        calendar=plan_calendar(entry.activity.plan), recipients={},
        days_before=tuple(policy.get("days_before", (30, 7))),
        working_days_before=tuple(policy.get("working_days_before", (1,))))
    ahead = [day for _, day in reminder_days(facts, due) if today < day <= due]
    return min(ahead) if ahead else None
