"""The annual follow-up of one plan, run by its deployment on the plan's
follow-up date (after the reporting round has closed): compile the report
from the database, store it with its snapshot, email the PDF to the plan's
coordinators through the outbox, and send.

The data is read as of the run's *scheduled* time, not the moment a worker
got round to it, so a late or retried run compiles the same report; a rerun
for the same moment reuses the stored report and the outbox keys make the
email go out once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from lokflow.annual_report.archive import email_to_coordinators, report_for_moment
from lokflow.bootstrap import app_for_this_process


def _moment(as_of: str | None) -> datetime:
    """`as_of`, else the scheduled start of this flow run (read in the flow)."""
    moment = datetime.fromisoformat(as_of or str(flow_run.get_scheduled_start_time()))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=app_for_this_process().settings.tz)
    return moment


@task(name="compile-annual-report", cache_policy=NO_CACHE, persist_result=False)
async def compile_report(plan: str, year: int | None, as_of: str,
                         language: str | None) -> dict[str, Any]:
    """Compile (or find, on a rerun) the report and queue it for the coordinators."""
    app = app_for_this_process()
    zone = app.settings.tz
    moment = datetime.fromisoformat(as_of)
    chosen = year or moment.astimezone(zone).year
    with app.sessions.begin() as session:
        report, created = report_for_moment(session, plan, chosen, app.now(), zone=zone,
                                            as_of=moment, language=language)
        queued = email_to_coordinators(session, report, app.now(), app.today())
        return {"report": report.id, "year": chosen, "created": created,
                "as_of": report.snapshot["as_of"], "pdf_bytes": len(report.pdf or b""),
                "queued": queued.items}


@flow(name="annual-report", flow_run_name="{plan}", log_prints=False)
async def annual_report(plan: str, year: int | None = None, as_of: str | None = None,
                        language: str | None = None) -> dict[str, Any]:
    """`year` defaults to the year of the scheduled time; `as_of` (ISO time)
    overrides the scheduled time, e.g. to compile a missed follow-up."""
    moment = _moment(as_of)
    result = await compile_report(plan, year, moment.isoformat(), language)
    sent = await app_for_this_process().send_queued(worker=f"annual-report/{plan}")
    return {**result, "sent": sent.sent, "failed": sent.failed}
