"""The parts of a snapshot beyond the activity entries: plan facts, sections,
summary, response rates, year-by-year fulfilment, milestones, the look ahead,
the trend and the comparison with last year. Pure functions of the history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from lokflow.annual_report.history import ActivityRow, PlanHistory
from lokflow.annual_report.moment import Moment
from lokflow.annual_report.rules import (
    OpenOccurrence,
    count_statuses,
    fulfilment,
    is_periodic,
    milestone_years,
    open_occurrences,
    year_report,
)
from lokflow.domain.timelines import MonthDay
from lokflow.reporting.principle_progress import Counted, count_by_principle

PARTIES = ("municipality", "civil_society", "joint")
TREND_YEARS = 6


def percent(part: int, whole: int) -> int | None:
    """Rounded half up, in integers (no float surprises between renderers)."""
    return None if whole == 0 else (200 * part + whole) // (2 * whole)


def plan_facts(history: PlanHistory) -> dict[str, Any]:
    doc = history.document
    follow_up = doc["follow_up"]
    return {
        "slug": history.slug,
        "title": doc["title"],
        "short_name": doc["short_name"],
        "organisation": history.organisation,
        "period_start": doc["period"]["start"],
        "period_end": doc["period"].get("end"),
        "adopted": doc.get("adopted"),
        "source": doc["source"]["document"],
        "decided_by": doc["source"].get("decided_by"),
        "annual_date": follow_up["annual_date"],
        "annual_note": follow_up.get("annual_note"),
        "coordinators": list(history.coordinators),
        "principles": [{"key": k, "name": n, "description": d} for k, n, d in history.principles],
        "units": dict(history.units),
    }


def sections(history: PlanHistory) -> list[dict[str, Any]]:
    """Principle by principle (or party by party when the plan names no
    principles), each with its commitments and their activities in plan order."""
    named = {key for key, _, _ in history.principles}
    groups: list[tuple[str, str | None, list[ActivityRow]]]
    if named:
        groups = [("principle", key, [a for a in history.activities if a.principle == key])
                  for key, _, _ in history.principles]
        groups.append(("other", None,
                       [a for a in history.activities if a.principle not in named]))
    else:
        groups = [("party", party, [a for a in history.activities if a.party == party])
                  for party in PARTIES]
    found = []
    for kind, key, activities in groups:
        if not activities:
            continue
        commitments = [
            {"key": c.key, "number": c.number, "text": c.text, "party": c.party,
             "activities": [a.key for a in activities if a.commitment_key == c.key]}
            for c in history.commitments]
        found.append({"kind": kind, "key": key,
                      "commitments": [c for c in commitments if c["activities"]]})
    return found


def summary(history: PlanHistory, entries: list[dict[str, Any]],
            late: dict[str, list[dict[str, Any]]], year: int) -> dict[str, Any]:
    expected = [e for e in entries if e["expected"]]
    reported = [e for e in expected if e["reports_this_year"]]
    by_principle = []
    if history.principles:  # one definition with the public page (reporting.principle_progress)
        counted = [Counted(e["principle"], e["party"], e["status"]) for e in entries]
        for row in count_by_principle(counted, [(k, n) for k, n, _ in history.principles]):
            by_principle.append({"key": row.key, "total": row.total, "counts": row.counts,
                                 "by_party": [{"party": party, "total": sum(c.values()),
                                               "counts": c}
                                              for party, c in row.by_party.items()]})
    return {
        "activities": len(entries),
        "by_status": count_statuses(e["status"] for e in entries),
        "by_party": [{"party": party, "total": len(mine),
                      "counts": count_statuses(e["status"] for e in mine)}
                     for party in PARTIES
                     if (mine := [e for e in entries if e["party"] == party])],
        "by_principle": by_principle,
        "finished_this_year": sum(1 for e in entries if e["finished_this_year"]),
        "overdue": sum(1 for occurrences in late.values() if occurrences),
        "overdue_occurrences": sum(len(occurrences) for occurrences in late.values()),
        "expected": len(expected),
        "reported": len(reported),
        "response_rate": percent(len(reported), len(expected)),
        "no_report": len(expected) - len(reported),
        "date_changes": sum(1 for e in entries for c in e["date_changes"]
                            if c["decided_on"].startswith(f"{year}-")),
        "changed": sum(1 for e in entries if e["changes"]),
    }


def response(history: PlanHistory, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per responsible unit: activities owed a report this year, and answered."""
    rows = []
    for unit in history.document["units"]:
        key = unit["id"]
        owned = [e for e in entries if key in e["owner_keys"]]
        if not owned:
            continue
        expected = [e for e in owned if e["expected"]]
        reported = [e for e in expected if e["reports_this_year"]]
        rows.append({"unit": key, "name": history.units.get(key, key), "owned": len(owned),
                     "expected": len(expected), "reported": len(reported),
                     "rate": percent(len(reported), len(expected))})
    return rows


def report_years(history: PlanHistory, year: int) -> list[int]:
    first = max(history.document["period"]["start"], year - TREND_YEARS + 1)
    return list(range(min(first, year), year + 1))


def recurring(history: PlanHistory, moment: Moment) -> list[dict[str, Any]]:
    years = report_years(history, moment.year)
    return [
        {"key": a.key, "timeline": a.timeline, "schedule": a.schedule.kind,
         "years": [asdict(f) for f in fulfilment(a, history.calendar, years, moment.day,
                                                 moment.as_of, moment.zone)]}
        for a in history.activities if is_periodic(a)]


def overdue_entry(activity: ActivityRow, occurrence: OpenOccurrence, day: date) -> dict[str, Any]:
    """An overdue occurrence with its escalations, one line per level."""
    levels: dict[int, list[Any]] = defaultdict(list)
    for step in activity.escalations:
        if step.occurrence == occurrence.key:
            levels[step.level].append(step)
    return {
        "occurrence": occurrence.key, "kind": occurrence.kind,
        "due": occurrence.due.isoformat(), "original_due": occurrence.original_due.isoformat(),
        "status": occurrence.status, "days": (day - occurrence.due).days,
        "escalations": [
            {"level": level, "day": min(s.planned_day for s in steps).isoformat(),
             "recipients": sorted({s.recipient for s in steps}),
             "sent": all(s.sent for s in steps)}
            for level, steps in sorted(levels.items())],
    }


def milestones(history: PlanHistory, year: int) -> list[dict[str, Any]]:
    """Evaluation and renegotiation milestones due this year, and the next one
    of each cadence; counted from the adoption date, else the period start."""
    doc = history.document
    base = int(doc["adopted"][:4]) if doc.get("adopted") else doc["period"]["start"]
    found = []
    for kind in ("evaluation", "renegotiation"):
        cadence = doc["follow_up"].get(kind)
        if not cadence:
            continue
        every, first_after = cadence["every_years"], cadence.get("first_after_years")
        years = milestone_years(base, every, first_after, year + every + (first_after or 0))
        chosen = [y for y in years if y == year] + [y for y in years if y > year][:1]
        found += [{"kind": kind, "year": y, "due": y == year, "first": y == years[0],
                   "base_year": base, "every": every, "first_after": first_after,
                   "note": cadence.get("note")} for y in chosen]
    return found


def ahead(history: PlanHistory, moment: Moment) -> dict[str, Any]:
    """The next twelve months: open deadlines, dialogue meetings, next follow-up."""
    start, end = moment.day + timedelta(days=1), moment.day + timedelta(days=365)
    deadlines = []
    for position, activity in enumerate(history.activities):
        for o in open_occurrences(activity, history.calendar, start, end, moment.as_of):
            deadlines.append((o.due, position, {
                "due": o.due.isoformat(), "key": activity.key, "occurrence": o.key,
                "original_due": o.original_due.isoformat(), "status": o.status}))
    follow_up = history.document["follow_up"]
    meetings = follow_up.get("dialogue_meetings") or {}
    period_end = history.document["period"].get("end")
    last = min(end, date(period_end, 12, 31)) if period_end else end
    dialogue = sorted(
        day.isoformat()
        for text in meetings.get("dates", [])
        for year in (start.year, end.year)
        if start <= (day := MonthDay.parse(text).in_year(year)) <= last)
    annual = MonthDay.parse(follow_up["annual_date"])
    next_follow_up = annual.in_year(moment.year + 1)
    return {
        "from": start.isoformat(), "to": end.isoformat(),
        "deadlines": [entry for _, _, entry in sorted(deadlines, key=lambda d: d[:2])],
        "dialogue": sorted(set(dialogue)),
        "dialogue_per_year": meetings.get("per_year"),
        "next_follow_up": next_follow_up.isoformat()
        if period_end is None or next_follow_up.year <= period_end else None,
        "period_ends": period_end if period_end is not None and period_end <= end.year else None,
    }


def trend(history: PlanHistory, moment: Moment) -> list[dict[str, Any]]:
    """Statuses at the end of each year (this year: as of the snapshot)."""
    return [
        {"year": year, "counts": count_statuses(
            (r.status if (r := year_report(a, history.calendar, year, moment.year_end(year)))
             else None) for a in history.activities)}
        for year in report_years(history, moment.year)]


def compare(history: PlanHistory, entries: list[dict[str, Any]], moment: Moment,
            previous: tuple[int, dict[str, Any]] | None) -> dict[str, Any]:
    """Sets each entry's `previous` and `changes` against last year's stored
    report, or, when there is none, against the statuses a year earlier."""
    if previous is not None:
        report_id, snapshot = previous
        before = {e["key"]: {"status": e["status"], "progress": e["progress"]}
                  for e in snapshot.get("activities", [])}
        meta: dict[str, Any] = {"kind": "report", "report_id": report_id,
                                "year": snapshot.get("year"), "as_of": snapshot.get("as_of")}
    else:
        cutoff = moment.a_year_earlier()
        before = {}
        for activity in history.activities:
            r = year_report(activity, history.calendar, moment.year - 1, cutoff)
            before[activity.key] = {"status": r.status if r else None,
                                    "progress": r.progress if r else None}
        meta = {"kind": "as_of", "report_id": None, "year": moment.year - 1,
                "as_of": cutoff.isoformat()}
    for entry in entries:
        old = before.get(entry["key"])
        entry["previous"] = old
        entry["changes"] = _changes(old, entry)
    return meta


def _changes(old: dict[str, Any] | None, entry: dict[str, Any]) -> list[dict[str, Any]]:
    if old is None:
        return [{"field": "new", "before": None, "after": None}]
    return [{"field": name, "before": old[name], "after": entry[name]}
            for name in ("status", "progress") if old[name] != entry[name]]
