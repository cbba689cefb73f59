"""The snapshot is a pure function of a plan's history, a year and a moment."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from lokflow.annual_report.formats import render
from lokflow.annual_report.snapshot import assemble
from lokflow.domain.timelines import Deadline, OnDemand, Ongoing, Yearly
from tests.support.report_builders import (
    activity,
    at,
    escalation,
    history,
    moment,
    move,
    report,
)

YEARLY = Yearly(month=11, day=15, start=date(2022, 1, 1))


def _plan() -> list[Any]:
    return [
        # finished in 2023: not expected to report in 2024
        activity("k-1", Deadline(due=date(2023, 12, 31)), reports=(
            report("deadline", "in_progress", "2023-03-01", progress=40),
            report("deadline", "done", "2023-10-01", progress=100))),
        # late, moved once, escalated twice
        activity("k-2", Deadline(due=date(2024, 6, 30)), reports=(
            report("deadline", "delayed", "2024-05-01", progress=30,
                   obstacles="Lokalen saknas."),), moves=(
            move("deadline", "2024-06-30", "2024-09-30", decided="2024-05-10"),),
            escalations=(escalation("deadline", 1, "2024-10-01", "Kim Kultur"),
                         escalation("deadline", 2, "2024-10-15", "Chefen", sent=False))),
        # yearly, done every year so far
        activity("k-3", YEARLY, timeline="Årligen", principle="oppenhet", reports=(
            report("2022", "done", "2022-11-01"), report("2023", "done", "2023-11-01"),
            report("2024", "done", "2024-11-01"))),
        # finished this year
        activity("k-4", Deadline(due=date(2024, 12, 31)), reports=(
            report("deadline", "in_progress", "2023-03-01", progress=40),
            report("deadline", "done", "2024-02-01", progress=100))),
        # ongoing, civil society, last reported 2023
        activity("c-1", Ongoing(start=date(2022, 1, 1)), party="civil_society",
                 commitment="c1", owners=("foreningarna",), principle=None, reports=(
                     report("checkin-2023-05-15", "in_progress", "2023-05-20", progress=20),)),
        # on demand, never reported
        activity("c-2", OnDemand(), party="civil_society", commitment="c1",
                 owners=("foreningarna", "kultur"), principle=None),
    ]


def _snapshot(previous: tuple[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    return assemble(history(_plan()), moment(), at("2024-11-15T19:00"), previous)


def test_summary_counts_statuses_parties_and_principles() -> None:
    summary = _snapshot()["summary"]
    assert summary["by_status"] == {"done": 3, "in_progress": 1, "not_started": 0,
                                    "delayed": 1, "paused": 0, "cancelled": 0, "none": 1}
    assert [(p["party"], p["total"]) for p in summary["by_party"]] == [
        ("municipality", 4), ("civil_society", 2)]
    assert [(p["key"], p["total"]) for p in summary["by_principle"]] == [
        ("dialog", 3), ("oppenhet", 1), (None, 2)]
    assert (summary["finished_this_year"], summary["overdue"], summary["expected"],
            summary["reported"], summary["response_rate"], summary["no_report"],
            summary["date_changes"], summary["changed"]) == (2, 1, 5, 3, 60, 2, 1, 2)


def test_entries_carry_what_the_committee_reads() -> None:
    snapshot = _snapshot()
    entries = {e["key"]: e for e in snapshot["activities"]}
    late = entries["k-2"]
    assert (late["status"], late["progress"], late["obstacles"], late["reported_on"]) == (
        "delayed", 30, "Lokalen saknas.", "2024-05-01")
    assert late["date_changes"][0]["proposed"] == "2024-09-30"
    assert not entries["k-1"]["expected"] and entries["c-2"]["expected"]
    assert snapshot["no_report"] == ["c-1", "c-2"]
    [item] = snapshot["overdue"]
    assert item["key"] == "k-2"
    assert item["occurrences"][0]["due"] == "2024-09-30"
    assert item["occurrences"][0]["original_due"] == "2024-06-30"
    assert item["occurrences"][0]["days"] == 46
    assert item["occurrences"][0]["escalations"] == [
        {"level": 1, "day": "2024-10-01", "recipients": ["Kim Kultur"], "sent": True},
        {"level": 2, "day": "2024-10-15", "recipients": ["Chefen"], "sent": False}]


def test_response_rate_per_owner() -> None:
    rows = {r["unit"]: r for r in _snapshot()["response"]}
    assert (rows["kultur"]["owned"], rows["kultur"]["expected"], rows["kultur"]["reported"],
            rows["kultur"]["rate"]) == (5, 4, 3, 75)
    assert (rows["foreningarna"]["expected"], rows["foreningarna"]["rate"]) == (2, 0)


def test_changes_since_a_year_earlier_without_a_stored_report() -> None:
    snapshot = _snapshot()
    assert snapshot["comparison"]["kind"] == "as_of"
    assert snapshot["comparison"]["as_of"].startswith("2023-11-15T20:00")
    entries = {e["key"]: e for e in snapshot["activities"]}
    assert entries["k-1"]["changes"] == []
    assert entries["k-3"]["changes"] == []  # 2023's occurrence done, and 2024's
    assert entries["k-4"]["changes"] == [
        {"field": "status", "before": "in_progress", "after": "done"},
        {"field": "progress", "before": 40, "after": 100}]
    assert entries["k-2"]["changes"] == [
        {"field": "status", "before": None, "after": "delayed"},
        {"field": "progress", "before": None, "after": 30}]


def test_changes_since_last_years_stored_report() -> None:
    last_year = {"year": 2023, "as_of": "2023-11-15T20:00:00+01:00", "activities": [
        {"key": "k-1", "status": "done", "progress": 100},
        {"key": "k-2", "status": "in_progress", "progress": 30}]}
    snapshot = _snapshot(previous=(7, last_year))
    assert snapshot["comparison"] == {"kind": "report", "report_id": 7, "year": 2023,
                                      "as_of": "2023-11-15T20:00:00+01:00"}
    entries = {e["key"]: e for e in snapshot["activities"]}
    assert entries["k-1"]["changes"] == []
    assert entries["k-2"]["changes"] == [{"field": "status", "before": "in_progress",
                                          "after": "delayed"}]
    assert entries["c-1"]["changes"] == [{"field": "new", "before": None, "after": None}]
    assert snapshot["summary"]["changed"] == 5


def test_milestones_ahead_and_trend() -> None:
    snapshot = _snapshot()
    assert [(m["kind"], m["year"], m["due"], m["first"]) for m in snapshot["milestones"]] == [
        ("evaluation", 2024, True, True), ("evaluation", 2029, False, False)]
    ahead = snapshot["ahead"]
    assert (ahead["from"], ahead["to"], ahead["next_follow_up"]) == (
        "2024-11-16", "2025-11-15", "2025-11-15")
    assert [(d["key"], d["due"]) for d in ahead["deadlines"]] == [("k-3", "2025-11-15")]
    assert [t["year"] for t in snapshot["trend"]] == [2022, 2023, 2024]
    assert snapshot["trend"][1]["counts"]["done"] == 2  # k-1 and k-3 at the end of 2023


def test_snapshot_is_plain_json_and_deterministic() -> None:
    first, second = _snapshot(), _snapshot()
    assert first == second
    assert json.loads(json.dumps(first)) == first
    assert first["as_of"] == "2024-11-15T20:00:00+01:00"
    assert [s["key"] for s in first["sections"]] == ["dialog", "oppenhet", None]


def test_a_plan_without_activities_still_renders() -> None:
    empty = assemble(history([]), moment(), at("2024-11-15T19:00"), None)
    assert empty["summary"]["response_rate"] is None and empty["overdue"] == []
    for name in ("html", "md", "xlsx"):
        assert render(empty, name, "en", None)


def test_work_that_starts_later_owes_no_report_yet() -> None:
    later = activity("k-9", Ongoing(start=date(2025, 1, 1)), timeline="2025 och framåt")
    snapshot = assemble(history([later]), moment(), at("2024-11-15T19:00"), None)
    assert snapshot["activities"][0]["expected"] is False and snapshot["no_report"] == []
