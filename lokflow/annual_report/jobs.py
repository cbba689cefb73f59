"""Compiling the annual report from the web: a job row the page can follow
(queued, reading the data, making the PDF, done), committed step by step so
any web process can show the progress, and the version it made."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from lokflow.annual_report.archive import (
    default_as_of,
    find_plan,
    latest_version,
    same_content,
    store_report,
)
from lokflow.annual_report.snapshot import compile_snapshot
from lokflow.store import tables as t

LOG = logging.getLogger("lokflow.annual_report")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STEPS = ("queued", "reading", "pdf", "done")
STALE = timedelta(minutes=15)


def create_job(session: Session, plan: t.Plan, year: int, language: str, by: str,
               now: datetime) -> t.AnnualReportJob:
    job = t.AnnualReportJob(plan_id=plan.id, year=year, language=language, status=QUEUED,
                            step="queued", requested_by=by, created_at=now)
    session.add(job)
    session.flush()
    return job


def is_stale(job: t.AnnualReportJob, now: datetime) -> bool:
    """A job whose web process died: it will never finish."""
    return job.status in (QUEUED, RUNNING) and now - job.created_at > STALE


def _step(sessions: sessionmaker[Session], job_id: int, **values: object) -> None:
    with sessions.begin() as session:
        job = session.get_one(t.AnnualReportJob, job_id)
        for name, value in values.items():
            setattr(job, name, value)


def run_job(sessions: sessionmaker[Session], job_id: int, zone: ZoneInfo,
            clock: Callable[[], datetime]) -> None:
    """Compile, compare with the latest version, and store a new one if the
    content changed; every step is committed so the page can show it."""
    _step(sessions, job_id, status=RUNNING, step="reading")
    try:
        with sessions.begin() as session:
            job = session.get_one(t.AnnualReportJob, job_id)
            plan = session.get_one(t.Plan, job.plan_id)
            now = clock()
            snapshot = compile_snapshot(session, plan, job.year,
                                        default_as_of(now, job.year, zone), now, zone)
            latest = latest_version(session, plan, job.year, job.language)
            if latest is not None and same_content(latest.snapshot, snapshot):
                job.status, job.step, job.report_id = DONE, "same", latest.id
                job.finished_at = now
                return
            job.step = "pdf"
        with sessions.begin() as session:
            job = session.get_one(t.AnnualReportJob, job_id)
            report = store_report(session, find_plan(session, plan.slug), job.year,
                                  job.language, snapshot, clock())
            job.status, job.step, job.report_id = DONE, "done", report.id
            job.finished_at = clock()
    except Exception as error:  # the page says it failed; the log keeps why
        LOG.exception("annual report job %s failed", job_id)
        _step(sessions, job_id, status=FAILED, step="failed", error=str(error)[:2000],
              finished_at=clock())
