"""The annual follow-up report as a use case: compile it from the database,
store it with the snapshot it was built from, rebuild an archived one, list
them, and email one to the plan's coordinators through the outbox.

Storing the snapshot (not just the PDF) is what lets `--rebuild` reproduce an
old report exactly, and lets next year's report say what changed since this
one even after the plan file was edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.annual_report.formats import render
from lokflow.annual_report.moment import default_as_of
from lokflow.annual_report.pdf import render_pdf
from lokflow.annual_report.snapshot import compile_snapshot
from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.due_actions import Person
from lokflow.engine.outbox import Notice, QueueResult, queue_notices
from lokflow.store import tables as t


class ReportNotFound(LookupError):
    """No such plan or archived report."""


@dataclass(frozen=True)
class ReportListing:
    id: int
    plan: str
    plan_name: str
    organisation_id: int
    year: int
    language: str
    created_at: datetime
    as_of: str
    pdf_bytes: int
    version: int = 1
    versions: int = 1


def find_plan(session: Session, slug: str) -> t.Plan:
    plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).first()
    if plan is None:
        raise ReportNotFound(f"no plan {slug!r}; see `lokflow plans`")
    return plan


def compile_and_store(session: Session, slug: str, year: int, now: datetime, *, zone: ZoneInfo,
                      language: str | None = None, as_of: datetime | None = None,
                      ) -> t.AnnualReport:
    """Build the snapshot, store it, and render and store the PDF (the caller
    commits). The PDF carries the report's number, so it is made after the
    row has its id."""
    plan = find_plan(session, slug)
    chosen = language or plan.language
    moment = as_of or default_as_of(now, year, zone)
    snapshot = compile_snapshot(session, plan, year, moment, now, zone)
    return store_report(session, plan, year, chosen, snapshot, now)


def store_report(session: Session, plan: t.Plan, year: int, language: str,
                 snapshot: dict[str, Any], now: datetime) -> t.AnnualReport:
    """Store a compiled snapshot and its PDF (which carries the report's number)."""
    report = t.AnnualReport(plan_id=plan.id, year=year, language=language, snapshot=snapshot,
                            pdf=None, created_at=now)
    session.add(report)
    session.flush()
    report.pdf = render_pdf(snapshot, language, report.id)
    return report


VOLATILE = ("as_of", "compiled_at")


def same_content(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two snapshots show the same (only their moments differ)."""
    return ({k: v for k, v in one.items() if k not in VOLATILE}
            == {k: v for k, v in other.items() if k not in VOLATILE})


def latest_version(session: Session, plan: t.Plan, year: int,
                   language: str) -> t.AnnualReport | None:
    return session.scalar(select(t.AnnualReport).where(
        t.AnnualReport.plan_id == plan.id, t.AnnualReport.year == year,
        t.AnnualReport.language == language).order_by(t.AnnualReport.id.desc()).limit(1))


def compile_version(session: Session, slug: str, year: int, now: datetime, *, zone: ZoneInfo,
                    language: str | None = None, as_of: datetime | None = None,
                    ) -> tuple[t.AnnualReport, bool]:
    """Compile a report and store it as a new version, unless it shows exactly
    what the latest version of the same year and language shows: then that
    one is returned and nothing is stored. Returns (report, created)."""
    plan = find_plan(session, slug)
    chosen = language or plan.language
    snapshot = compile_snapshot(session, plan, year, as_of or default_as_of(now, year, zone),
                                now, zone)
    latest = latest_version(session, plan, year, chosen)
    if latest is not None and same_content(latest.snapshot, snapshot):
        return latest, False
    return store_report(session, plan, year, chosen, snapshot, now), True


def report_for_moment(session: Session, slug: str, year: int, now: datetime, *,
                      zone: ZoneInfo, as_of: datetime,
                      language: str | None = None) -> tuple[t.AnnualReport, bool]:
    """The report of a scheduled run: the one already compiled for exactly this
    moment if a retried or repeated run finds one, else the latest version if
    it shows the same, else a new version. Returns (report, created)."""
    plan = find_plan(session, slug)
    chosen = language or plan.language
    stamp = as_of.astimezone(zone).isoformat()
    for existing in session.scalars(select(t.AnnualReport).where(
            t.AnnualReport.plan_id == plan.id, t.AnnualReport.year == year,
            t.AnnualReport.language == chosen).order_by(t.AnnualReport.id)):
        if existing.snapshot.get("as_of") == stamp:
            return existing, False
    return compile_version(session, slug, year, now, zone=zone, language=chosen, as_of=as_of)


def get_report(session: Session, report_id: int) -> t.AnnualReport:
    report = session.get(t.AnnualReport, report_id)
    if report is None:
        raise ReportNotFound(f"no annual report {report_id}; see `lokflow annual-report --list`")
    return report


def rebuild(report: t.AnnualReport, format_name: str, language: str | None = None) -> bytes:
    """The report rendered again from its stored snapshot."""
    snapshot: dict[str, Any] = report.snapshot
    return render(snapshot, format_name, language or report.language, report.id)


def document(report: t.AnnualReport, format_name: str) -> bytes:
    """The report in one format: the stored PDF as it was sent, else rendered
    from the snapshot."""
    if format_name == "pdf" and report.pdf:
        return report.pdf
    return rebuild(report, format_name)


def list_reports(session: Session, organisation_id: int | None = None,
                 plan_slug: str | None = None) -> list[ReportListing]:
    """Archived reports, newest first; only one organisation's when given."""
    query = (select(t.AnnualReport.id, t.Plan.slug, t.Plan.short_name, t.Plan.organisation_id,
                    t.AnnualReport.year, t.AnnualReport.language, t.AnnualReport.created_at,
                    t.AnnualReport.snapshot, func.length(t.AnnualReport.pdf))
             .join(t.Plan, t.Plan.id == t.AnnualReport.plan_id)
             .order_by(t.AnnualReport.year.desc(), t.AnnualReport.id.desc()))
    if organisation_id is not None:
        query = query.where(t.Plan.organisation_id == organisation_id)
    if plan_slug is not None:
        query = query.where(t.Plan.slug == plan_slug)
    rows = list(session.execute(query))
    numbers: dict[tuple[str, int, str], list[int]] = {}
    for row in sorted(rows, key=lambda r: r[0]):
        numbers.setdefault((row[1], row[4], row[5]), []).append(row[0])
    return [ReportListing(id=row[0], plan=row[1], plan_name=row[2], organisation_id=row[3],
                          year=row[4], language=row[5], created_at=row[6],
                          as_of=row[7].get("as_of", ""), pdf_bytes=row[8] or 0,
                          version=numbers[(row[1], row[4], row[5])].index(row[0]) + 1,
                          versions=len(numbers[(row[1], row[4], row[5])]))
            for row in rows]


def email_to_coordinators(session: Session, report: t.AnnualReport, now: datetime,
                          today: date) -> QueueResult:
    """Queue the report for each coordinator of its plan; the sender attaches
    the PDF. Queuing twice is harmless (one key per report and person)."""
    coordinators = session.scalars(select(t.Contact).where(
        t.Contact.plan_id == report.plan_id, t.Contact.kind == ContactKind.COORDINATOR,
        t.Contact.archived.is_(False)).order_by(t.Contact.id))
    notices = [
        Notice(key=f"annual_report|{report.id}|{c.email.lower()}", plan_id=report.plan_id,
               kind="annual_report", stage="report",
               recipient=Person(email=c.email, name=c.name, language=c.language),
               planned_day=today, detail={"annual_report_id": report.id, "year": report.year})
        for c in coordinators]
    return queue_notices(session, notices, now, today)
