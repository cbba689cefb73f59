"""The public page's changes, newest first, for its Atom feed: status
reports (the activity and its new status, never who reported or what they
wrote), accepted new dates, and published annual reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.store import tables as t

LIMIT = 50


@dataclass(frozen=True)
class Change:
    kind: str  # "status", "date" or "report"
    id: int
    at: datetime
    activity_key: str | None = None
    activity_number: str | None = None
    activity_party: str | None = None
    activity_text: str | None = None
    status: str | None = None
    new_date: date | None = None
    year: int | None = None


def changes(session: Session, plan_id: int, limit: int = LIMIT) -> list[Change]:
    reports = session.execute(
        select(t.StatusReport.id, t.StatusReport.created_at, t.StatusReport.status,
               t.Activity.key, t.Activity.number, t.Activity.party, t.Activity.text)
        .join(t.Activity, t.Activity.id == t.StatusReport.activity_id)
        .where(t.Activity.plan_id == plan_id, t.Activity.archived.is_(False))
        .order_by(t.StatusReport.created_at.desc(), t.StatusReport.id.desc()).limit(limit))
    found = [Change("status", row[0], row[1], row[3], row[4], row[5], row[6], status=row[2])
             for row in reports]
    dates = session.execute(
        select(t.DateChange.id, t.DateChange.decided_at, t.DateChange.proposed_date,
               t.Activity.key, t.Activity.number, t.Activity.party, t.Activity.text)
        .join(t.Activity, t.Activity.id == t.DateChange.activity_id)
        .where(t.Activity.plan_id == plan_id, t.Activity.archived.is_(False),
               t.DateChange.decision == "accepted")
        .order_by(t.DateChange.decided_at.desc(), t.DateChange.id.desc()).limit(limit))
    found += [Change("date", row[0], row[1], row[3], row[4], row[5], row[6], new_date=row[2])
              for row in dates if row[1] is not None]
    published = session.execute(
        select(t.PublishedReport.annual_report_id, t.PublishedReport.published_at,
               t.AnnualReport.year)
        .join(t.AnnualReport, t.AnnualReport.id == t.PublishedReport.annual_report_id)
        .where(t.PublishedReport.plan_id == plan_id)
        .order_by(t.PublishedReport.published_at.desc()).limit(limit))
    found += [Change("report", row[0], row[1], year=row[2]) for row in published]
    return sorted(found, key=lambda c: (c.at, c.kind, c.id), reverse=True)[:limit]
