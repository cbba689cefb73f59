"""The coordinator's words for the committee's document, written in the web
before the annual report is compiled: a summary, highlights (one a line), a
proposed decision (förslag till beslut) and the case number (diarienummer).
Also which stored reports are published on the plan's public page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.reporting.free_text import TEXT_LIMIT, TextRefused, free_text
from lokflow.store import tables as t

FIELDS = ("summary", "highlights", "proposed_decision", "case_number")
CASE_NUMBER_LIMIT = 100
CASE_NUMBER = re.compile(r"[^\n\t]*")  # one line


@dataclass(frozen=True)
class Notes:
    """The four fields as stored (None where nothing was written)."""

    summary: str | None = None
    highlights: str | None = None
    proposed_decision: str | None = None
    case_number: str | None = None

    @property
    def highlight_lines(self) -> list[str]:
        return [line.strip() for line in (self.highlights or "").splitlines() if line.strip()]


def parse_notes(values: dict[str, str]) -> tuple[Notes, dict[str, str]]:
    """The posted fields as notes, and the rule each broken field breaks."""
    clean: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        limit = CASE_NUMBER_LIMIT if name == "case_number" else TEXT_LIMIT
        try:
            text = free_text(values.get(name, ""), limit)
        except TextRefused as refused:
            errors[name], text = refused.code, None
        if name == "case_number" and (name in errors or not CASE_NUMBER.fullmatch(text or "")):
            errors[name], text = "case_number_invalid", None  # one short line
        clean[name] = text
    return Notes(**clean), errors


def notes_of(session: Session, plan_id: int, year: int) -> Notes:
    row = _row(session, plan_id, year)
    if row is None:
        return Notes()
    return Notes(row.summary, row.highlights, row.proposed_decision, row.case_number)


def _row(session: Session, plan_id: int, year: int) -> t.CommitteeNotes | None:
    return session.scalar(select(t.CommitteeNotes).where(
        t.CommitteeNotes.plan_id == plan_id, t.CommitteeNotes.year == year))


def save_notes(session: Session, plan_id: int, year: int, notes: Notes, by: str,
               now: datetime) -> None:
    """Write the year's notes (one set per plan and year, replaced when saved)."""
    row = _row(session, plan_id, year)
    if row is None:
        row = t.CommitteeNotes(plan_id=plan_id, year=year, updated_by=by, updated_at=now)
        try:
            with session.begin_nested():  # two coordinators saving the first time at once
                session.add(row)
                session.flush()
        except IntegrityError:
            row = _row(session, plan_id, year)
            assert row is not None
    row.summary, row.highlights = notes.summary, notes.highlights
    row.proposed_decision, row.case_number = notes.proposed_decision, notes.case_number
    row.updated_by, row.updated_at = by, now


def stored_reports(session: Session, plan_id: int, year: int) -> list[tuple[t.AnnualReport,
                                                                             bool]]:
    """The year's stored reports of the plan, newest first, each with whether
    it is published."""
    published = set(session.scalars(select(t.PublishedReport.annual_report_id).where(
        t.PublishedReport.plan_id == plan_id)))
    reports = session.scalars(select(t.AnnualReport).where(
        t.AnnualReport.plan_id == plan_id, t.AnnualReport.year == year)
        .order_by(t.AnnualReport.id.desc()))
    return [(report, report.id in published) for report in reports]


def set_published(session: Session, plan_id: int, report_id: int, publish: bool, by: str,
                  now: datetime) -> bool:
    """Publish or withdraw one of the plan's stored reports; False if it is not
    the plan's (or has no PDF to publish)."""
    report = session.get(t.AnnualReport, report_id)
    if report is None or report.plan_id != plan_id or not report.pdf:
        return False
    row = session.scalar(select(t.PublishedReport).where(
        t.PublishedReport.annual_report_id == report_id))
    if publish and row is None:
        try:
            with session.begin_nested():
                session.add(t.PublishedReport(annual_report_id=report_id, plan_id=plan_id,
                                              published_by=by, published_at=now))
                session.flush()
        except IntegrityError:
            pass  # published at the same moment by someone else
    elif not publish and row is not None:
        session.delete(row)
    return True
