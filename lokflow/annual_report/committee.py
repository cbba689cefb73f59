"""The committee's part of the annual report: the coordinator's notes
(summary, highlights, proposed decision, case number) and both parties'
own assessments, read as of the report's moment and stored in the snapshot
like everything else, so a rebuild shows what the committee got."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lokflow.reporting import assessments
from lokflow.reporting.assessment_access import assessors
from lokflow.reporting.committee_notes import Notes, notes_of
from lokflow.reporting.parties import BOTH
from lokflow.store import tables as t


@dataclass(frozen=True)
class AssessmentRow:
    """One party's current assessment of one target ('' is the whole agreement)."""

    party: str
    key: str
    scale: int | None
    text: str | None
    author: str
    at: datetime


@dataclass(frozen=True)
class CommitteeInput:
    notes: Notes = field(default_factory=Notes)
    assessments: tuple[AssessmentRow, ...] = ()
    assessors: tuple[str, ...] = ()  # the parties the plan names assessors for


def load_committee(session: Session, plan: t.Plan, year: int,
                   as_of: datetime) -> CommitteeInput:
    """The year's notes (as saved now) and assessments (as of `as_of`)."""
    rows = assessments.latest(session, plan.id, year, as_of)
    return CommitteeInput(
        notes=notes_of(session, plan.id, year),
        assessments=tuple(AssessmentRow(party, key, row.scale, row.text, row.author_name,
                                        row.created_at)
                          for party in sorted(rows) for key, row in rows[party].items()),
        assessors=tuple(sorted({party for party, _ in assessors(plan)})))


def committee_parts(given: CommitteeInput, principle_keys: list[str],
                    zone: ZoneInfo) -> dict[str, Any]:
    """The snapshot's `committee` and `assessments` (pure)."""
    notes = given.notes
    parties: dict[str, dict[str, Any]] = {}
    for party in sorted(BOTH):
        mine = [r for r in given.assessments if r.party == party
                and (r.scale is not None or r.text)]
        last = max(mine, key=lambda r: r.at, default=None)
        parties[party] = {
            "targets": {r.key: {"scale": r.scale, "text": r.text} for r in mine},
            "given_on": last.at.astimezone(zone).date().isoformat() if last else None,
            "given_by": last.author if last else None,
        }
    return {
        "committee": {"summary": notes.summary, "highlights": notes.highlight_lines,
                      "proposed_decision": notes.proposed_decision,
                      "case_number": notes.case_number},
        "assessments": {"targets": ["", *principle_keys], "parties": parties,
                        "assessors": list(given.assessors)},
    }
