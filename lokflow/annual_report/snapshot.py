"""The snapshot: everything the annual report shows, computed once from the
database as of one moment, as plain JSON-able data.

Renderers read only the snapshot, and each compiled report is stored with its
snapshot, so an archived report can be rebuilt byte for byte years later even
after the plan, its activities or their history have changed. The snapshot is
language-neutral: statuses, parties and kinds are English keys that the
renderers translate.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.annual_report import snapshot_parts as parts
from lokflow.annual_report.committee import CommitteeInput, committee_parts, load_committee
from lokflow.annual_report.history import ActivityRow, PlanHistory, ReportRow, load_history
from lokflow.annual_report.meetings_section import load_meetings
from lokflow.annual_report.moment import Moment
from lokflow.annual_report.rules import (
    RESOLVING,
    is_periodic,
    is_recurring,
    overdue,
    starts_on,
    until,
    year_report,
)
from lokflow.reporting.joint_confirmation import waiting_state
from lokflow.store import tables as t

FORMAT = 1


def compile_snapshot(session: Session, plan: t.Plan, year: int, as_of: datetime,
                     compiled_at: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """Read the database and build the snapshot (see `assemble`)."""
    moment = Moment(year, as_of.astimezone(zone), zone)
    history = load_history(session, plan, moment.as_of)
    return assemble(history, moment, compiled_at, _last_years_report(session, plan, moment),
                    load_committee(session, plan, year, moment.as_of),
                    load_meetings(session, plan.id, year, moment.as_of))


def _last_years_report(session: Session, plan: t.Plan,
                       moment: Moment) -> tuple[int, dict[str, Any]] | None:
    """The latest stored report of the year before whose data precedes ours."""
    for report in session.scalars(
            select(t.AnnualReport).where(t.AnnualReport.plan_id == plan.id,
                                         t.AnnualReport.year == moment.year - 1)
            .order_by(t.AnnualReport.created_at.desc(), t.AnnualReport.id.desc())):
        as_of = report.snapshot.get("as_of")
        if as_of and datetime.fromisoformat(as_of) <= moment.as_of:
            return report.id, report.snapshot
    return None


def assemble(history: PlanHistory, moment: Moment, compiled_at: datetime,
             previous: tuple[int, dict[str, Any]] | None,
             committee: CommitteeInput | None = None,
             meetings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The snapshot from a plan's history: a pure function, normalised through
    JSON so that a stored snapshot and a fresh one render identically."""
    entries = [_entry(history, a, moment) for a in history.activities]
    late = {e["key"]: e.pop("overdue") for e in entries}
    comparison = parts.compare(history, entries, moment, previous)
    snapshot = {
        "format": FORMAT,
        "plan": parts.plan_facts(history),
        # how the plan names each party in activity labels; snapshots taken
        # before this was kept lack it and render with the common words
        "party_names": history.document.get("party_names"),
        "year": moment.year,
        "as_of": moment.as_of.isoformat(),
        "compiled_at": compiled_at.astimezone(moment.zone).isoformat(),
        "timezone": moment.zone.key,
        "comparison": comparison,
        "summary": parts.summary(history, entries, late, moment.year),
        "sections": parts.sections(history),
        "activities": entries,
        "response": parts.response(history, entries),
        "recurring": parts.recurring(history, moment),
        "overdue": [{"key": key, "occurrences": found} for key, found in late.items() if found],
        "no_report": [e["key"] for e in entries if e["expected"] and not e["reports_this_year"]],
        "milestones": parts.milestones(history, moment.year),
        "ahead": parts.ahead(history, moment),
        "trend": parts.trend(history, moment),
        "meetings": meetings or [],  # issue 17, part two: the year's meetings and decisions
        **committee_parts(committee or CommitteeInput(),
                          [key for key, _, _ in history.principles], moment.zone),
    }
    normalised: dict[str, Any] = json.loads(json.dumps(snapshot, ensure_ascii=False))
    return normalised


def _entry(history: PlanHistory, activity: ActivityRow, moment: Moment) -> dict[str, Any]:
    calendar = history.calendar
    report = year_report(activity, calendar, moment.year, moment.as_of)
    known = until(activity.reports, moment.as_of)
    this_year = [r for r in known if r.at >= moment.year_start]
    origin = date(history.document["period"]["start"] - 1, 1, 1)
    late = overdue(activity, calendar, origin, moment.day, moment.as_of)
    return {
        "key": activity.key,
        "number": activity.number,
        "text": activity.text,
        "party": activity.party,
        "principle": activity.principle,
        "commitment": activity.commitment_key,
        "owners": [history.units.get(k, k) for k in activity.owner_keys],
        "owner_keys": list(activity.owner_keys),
        "partners": list(activity.partners),
        "timeline": activity.timeline,
        "timeline_note": activity.timeline_note,
        "inferred": list(activity.inferred),
        "schedule": activity.schedule.kind,
        "periodic": is_periodic(activity),
        **_report_fields(report, moment),
        "reports_this_year": len(this_year),
        "last_report_on": moment.local(known[-1].at).date().isoformat() if known else None,
        "finished_this_year": any(r.status == "done" for r in this_year),
        "expected": _expected(history, activity, moment),
        "date_changes": [
            {"occurrence": m.occurrence, "original": _iso(m.original),
             "proposed": m.proposed.isoformat(), "reason": m.reason,
             "decided_by": m.decided_by,
             "decided_on": moment.local(m.decided_at).date().isoformat()}
            for m in activity.moves],
        "overdue": [parts.overdue_entry(activity, o, moment.day) for o in late],
        "joint_waiting": _joint_waiting(activity, report),
    }


def _joint_waiting(activity: ActivityRow, report: ReportRow | None) -> dict[str, str] | None:
    """A joint activity one party called done, waiting for the other (see
    reporting.joint_confirmation), judged on the occurrence the status is about."""
    if report is None:
        return None
    words = {party: said for occurrence, party, said in activity.joint_words
             if occurrence == report.occurrence}
    state = waiting_state(report.status, report.occurrence, words)
    return {"done_by": state.done_by, "waiting_for": state.waiting_for} if state else None


def _report_fields(report: ReportRow | None, moment: Moment) -> dict[str, Any]:
    if report is None:
        return {"status": None, "progress": None, "comment": None, "obstacles": None,
                "reporter": None, "reported_on": None, "occurrence": None}
    return {"status": report.status, "progress": report.progress, "comment": report.comment,
            "obstacles": report.obstacles, "reporter": report.reporter,
            "reported_on": moment.local(report.at).date().isoformat(),
            "occurrence": report.occurrence}


def _expected(history: PlanHistory, activity: ActivityRow, moment: Moment) -> bool:
    """Whether the owners owe a report this year: everything except work that
    starts in a later year and one-off work that was finished or cancelled
    before the year began."""
    if activity.schedule.kind == "follow_up":
        return False  # followed up in the joint assessment, not by reports
    starts = starts_on(activity.schedule)
    if starts is not None and starts.year > moment.year:
        return False
    if is_recurring(activity) or activity.schedule.kind in ("ongoing", "on_demand"):
        return True
    before = year_report(activity, history.calendar, moment.year - 1,
                         moment.year_start - timedelta(microseconds=1))
    return before is None or before.status not in RESOLVING


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
