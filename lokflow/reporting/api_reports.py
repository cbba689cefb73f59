"""Status reports that arrive through the JSON API, on behalf of an API key."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from lokflow.access.api_keys import ApiCaller
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.store import tables as t


def record_api_report(session: Session, caller: ApiCaller, activity: t.Activity,
                      report: ReportInput, now: datetime, today: date) -> t.StatusReport:
    """Store a report sent through the API. Its submission key is namespaced by
    API key, so one integration can never collide with another's retries."""
    key = report.submission_key
    if key:
        digest = hashlib.sha256(f"{caller.key_id}|{activity.id}|{key}".encode()).hexdigest()
        report = replace(report, submission_key=f"api-{digest[:48]}")
    return record_report(session, activity, replace(report, channel="api"), now, today)
