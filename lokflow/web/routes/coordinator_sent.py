"""The log of what a plan sent: every notice, to whom, and whether it was
delivered; filterable, and as CSV or XLSX."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lokflow.reporting.sent_columns import COLUMNS, cells, sent_table
from lokflow.reporting.sent_log import KINDS, STATUSES, SentQuery, sent_log
from lokflow.web.coordinator_pages import coordinator_read, page, plan_of, with_query
from lokflow.web.coordinator_tables import download
from lokflow.web.deps import lokflow_app
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
EXPORT_LIMIT = 100_000


@router.get("/samordnare/planer/{slug}/utskick", response_class=HTMLResponse)
def sent(request: Request, slug: str) -> HTMLResponse:
    app, language = lokflow_app(request), language_of(request)
    query, problems = SentQuery.parse(request.query_params)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        notices, total = sent_log(session, plan.id, query)
        names = plan.document.get("party_names")
        base = f"/samordnare/planer/{slug}/utskick"
        return page(request, who, "coordinator_sent.html", {
            "plan": plan, "notices": notices, "total": total, "query": query,
            "problems": problems, "kinds": KINDS, "statuses": STATUSES, "columns": COLUMNS,
            "rows": [(n, cells(n, language, app.settings.tz, names)) for n in notices],
            "export_link": lambda name: with_query(f"{base}.{name}", query.params(), request)})


@router.get("/samordnare/planer/{slug}/utskick.{format_name}")
def export_sent(request: Request, slug: str, format_name: str) -> Response:
    app, language = lokflow_app(request), language_of(request)
    query, _ = SentQuery.parse(request.query_params)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        notices, _ = sent_log(session, plan.id, query, limit=EXPORT_LIMIT)
        table = sent_table(notices, language, app.settings.tz, plan.short_name,
                           plan.document.get("party_names"))
    return download(table, format_name, f"lokflow-{slug}-utskick")
