"""Everything that happened to one activity, for the history pages and
`lokflow history`: its reports, its proposed and decided dates, its events."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from lokflow.reporting.report_queries import date_changes_of
from lokflow.reporting.status_reports import history, reports_of
from lokflow.store import tables as t


@dataclass(frozen=True)
class ActivityHistory:
    activity: t.Activity
    reports: list[t.StatusReport]
    changes: list[t.DateChange]
    events: list[t.ActivityEvent]


def activity_history(session: Session, activity: t.Activity) -> ActivityHistory:
    """The append-only record of an activity, oldest first."""
    return ActivityHistory(activity=activity, reports=reports_of(session, activity.id),
                           changes=date_changes_of(session, activity.id),
                           events=history(session, activity.id))
