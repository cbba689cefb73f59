"""Compile the annual report from the web: the button starts a job in the
background and the browser follows its progress on a page that reloads
itself (no JavaScript), until the report is listed and downloadable."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.annual_report.archive import list_reports
from lokflow.annual_report.formats import FORMATS, file_name
from lokflow.annual_report.jobs import STEPS, create_job, is_stale, run_job
from lokflow.reporting.plan_overview import visible_plans
from lokflow.store import tables as t
from lokflow.web.coordinator_auth import check_csrf
from lokflow.web.coordinator_pages import (
    coordinator_read,
    coordinator_session,
    lang_query,
    page,
    plan_of,
)
from lokflow.web.deps import DbId, lokflow_app

job_routes = APIRouter(include_in_schema=False)
BASE = "/samordnare/arsrapporter"


@job_routes.post(BASE)
def compile_report(request: Request, background: BackgroundTasks,
                   csrf: Annotated[str, Form(max_length=200)],
                   plan: Annotated[str, Form(max_length=64)],
                   year: Annotated[str, Form(max_length=4)],
                   language: Annotated[Literal["sv", "en"], Form()] = "sv") -> Response:
    """Start compiling; the answer leads to the job's progress page."""
    app = lokflow_app(request)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, csrf)
        chosen = plan_of(session, who, plan)
        if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
            return page(request, who, "annual_reports.html", {
                "reports": [], "current": "annual", "error": "err_ar_year",
                "choices": visible_plans(session, who.organisation_id), "chosen": plan,
                "this_year": app.today().year}, status_code=422)
        job = create_job(session, chosen, int(year), language, who.display_name, app.now())
        job_id = job.id
    background.add_task(run_job, app.sessions, job_id, app.settings.tz, app.clock)
    return RedirectResponse(f"{BASE}/jobb/{job_id}{lang_query(request)}", status_code=303)


@job_routes.get(BASE + "/jobb/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: DbId) -> HTMLResponse:
    """The job's step; the page reloads itself until the job is done."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        job = session.get(t.AnnualReportJob, job_id)
        if job is None:
            raise HTTPException(404)
        plan = session.get_one(t.Plan, job.plan_id)
        plan_of(session, who, plan.slug)  # another organisation's job: 404
        listing = next((r for r in list_reports(session, who.organisation_id, plan.slug)
                        if r.id == job.report_id), None)
        stale = is_stale(job, app.now())
        step = "failed" if stale else job.step
        number = STEPS.index(step) + 1 if step in STEPS else 3
        downloads = {name: file_name(plan.slug, job.year, name, job.language)
                     for name in FORMATS}
        return page(request, who, "annual_report_job.html", {
            "job": job, "plan": plan, "step": step, "number": number, "listing": listing,
            "downloads": downloads, "current": "annual",
            "finished": job.status in ("done", "failed") or stale})
