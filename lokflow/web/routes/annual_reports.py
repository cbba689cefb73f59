"""Archived annual reports for coordinators: a list with each report's
version, compiling one from the web (a job whose progress the page shows),
and each report for download as PDF (the stored file, as it was sent), HTML,
Markdown or XLSX (rendered again from the stored snapshot, so identical each
time).

Protected by the coordinator login (`coordinator_session`): a coordinator sees
the reports of their own organisation's plans only; another organisation's
report answers 404, the same as a report that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from lokflow.annual_report.archive import (
    ReportListing,
    ReportNotFound,
    document,
    get_report,
    list_reports,
)
from lokflow.annual_report.formats import FORMATS, file_name
from lokflow.reporting.plan_overview import visible_plans
from lokflow.store import tables as t
from lokflow.web.annual_report_jobs import job_routes
from lokflow.web.coordinator_pages import coordinator_read, page, plan_of
from lokflow.web.deps import DbId, lokflow_app

router = APIRouter(include_in_schema=False)
router.include_router(job_routes)
BASE = "/samordnare/arsrapporter"
LABELS = {"pdf": "PDF", "html": "HTML", "md": "Markdown", "xlsx": "XLSX"}
# A report's HTML is self-contained: its own styles and inline SVG, never a script.
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@dataclass(frozen=True)
class Link:
    href: str
    name: str
    label: str


@dataclass(frozen=True)
class Row:
    id: int
    plan_name: str
    language: str
    year: int
    as_of: datetime | None
    compiled: datetime
    links: list[Link]
    version: int = 1
    versions: int = 1


def _row(listing: ReportListing) -> Row:
    links = []
    for name in FORMATS:
        download = file_name(listing.plan, listing.year, name, listing.language)
        links.append(Link(f"{BASE}/{listing.id}/{download}", download, LABELS[name]))
    as_of = datetime.fromisoformat(listing.as_of) if listing.as_of else None
    return Row(listing.id, listing.plan_name, listing.language, listing.year, as_of,
               listing.created_at, links, listing.version, listing.versions)


@router.get(BASE, response_class=HTMLResponse)
def reports(request: Request,
            plan: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
    """The archived reports of the coordinator's plans (of one plan with ?plan=)."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        context: dict[str, object] = {}
        if plan:
            context["plan"] = plan_of(session, who, plan)
        found = list_reports(session, who.organisation_id, plan or None)
        return page(request, who, "annual_reports.html", {
            "reports": [_row(r) for r in found], "current": "plan_annual" if plan else "annual",
            "choices": visible_plans(session, who.organisation_id),
            "chosen": plan, "this_year": app.today().year, "error": None, **context})


@router.get(BASE + "/{report_id}/{name}")
def download(request: Request, report_id: DbId, name: str) -> Response:
    """One report in the format its file name ends with."""
    format_name = name.rpartition(".")[2]
    if format_name not in FORMATS:
        raise HTTPException(404)
    with coordinator_read(request) as (session, who):
        try:
            report = get_report(session, report_id)
        except ReportNotFound:
            raise HTTPException(404) from None
        plan = session.get_one(t.Plan, report.plan_id)
        if who.organisation_id is not None and plan.organisation_id != who.organisation_id:
            raise HTTPException(404)
        data = document(report, format_name)
        download_name = file_name(plan.slug, report.year, format_name, report.language)
    inline = format_name in ("pdf", "html")
    headers = {
        "Content-Disposition": f'{"inline" if inline else "attachment"}; '
                               f'filename="{download_name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Referrer-Policy": "no-referrer",
    }
    if format_name == "html":  # a PDF viewer would not work under this policy
        headers["Content-Security-Policy"] = HTML_POLICY
    return Response(data, media_type=FORMATS[format_name].media_type, headers=headers)
