"""The coordinator's tables: activities of one plan or of all their plans
(searchable, filterable, sortable; full width), the overdue list, and each
as CSV or XLSX with the page's columns; and the log of what a plan sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.reporting.activity_columns import SORT_OF, activity_table, columns, heading
from lokflow.reporting.activity_lines import ActivityLine
from lokflow.reporting.activity_query import STATUSES, ActivityQuery
from lokflow.reporting.plan_overview import visible_plans
from lokflow.store import tables as t
from lokflow.texts.pages import PAGE_TEXTS
from lokflow.web.coordinator_auth import Coordinator
from lokflow.web.coordinator_pages import (
    coordinator_read,
    lines_of,
    page,
    plan_of,
    with_query,
)
from lokflow.web.coordinator_tables import download
from lokflow.web.deps import lokflow_app
from lokflow.web.paging import PARAM as PAGE
from lokflow.web.paging import Paging
from lokflow.web.routes import coordinator_sent
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
ROWS_PER_PAGE = 200
router.include_router(coordinator_sent.router)


@dataclass(frozen=True)
class Scope:
    """The plans a table covers: one (with its page's address) or all visible."""

    plans: list[t.Plan]
    base: str
    plan: t.Plan | None = None
    names: dict[int, str] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names.update((p.id, p.short_name) for p in self.plans)
        self.slugs.update((p.id, p.slug) for p in self.plans)

    def name(self, plan_id: int) -> str:
        return self.names[plan_id]

    def slug(self, plan_id: int) -> str:
        return self.slugs[plan_id]


def _scope(session: Session, who: Coordinator, slug: str | None) -> Scope:
    if slug is None:
        return Scope(visible_plans(session, who.organisation_id), "/samordnare/aktiviteter")
    plan = plan_of(session, who, slug)
    return Scope([plan], f"/samordnare/planer/{slug}/aktiviteter", plan)


def _chosen(request: Request, session: Session, scope: Scope, preset: ActivityQuery | None
            ) -> tuple[ActivityQuery, list[str], list[ActivityLine], list[ActivityLine]]:
    query, problems = ActivityQuery.parse(request.query_params)
    if preset is not None:  # the overdue page: always overdue, sorted by since-when
        sort = query.sort if request.query_params.get("sort") else preset.sort
        query = replace(query, overdue=True, sort=sort)
    lines = lines_of(request, session, scope.plans)
    every = [line for plan in scope.plans for line in lines[plan.id]]
    return query, problems, query.apply(every, lokflow_app(request).today(), scope.slug), every


def _filters(session: Session, scope: Scope, lines: Sequence[ActivityLine]) -> dict[str, Any]:
    owners = sorted({o for line in lines for o in line.owners}, key=lambda o: o[1].casefold())
    principles: list[tuple[str, str]] = []
    if scope.plan is not None:
        principles = [(k, n) for k, n in session.execute(
            select(t.Principle.key, t.Principle.name).where(
                t.Principle.plan_id == scope.plan.id, t.Principle.archived.is_(False))
            .order_by(t.Principle.position))]
    return {"owners": owners, "principles": principles, "statuses": STATUSES,
            "plan_choices": [(p.slug, p.short_name) for p in scope.plans]
            if scope.plan is None else []}


def _table_page(request: Request, slug: str | None, preset: ActivityQuery | None = None
                ) -> HTMLResponse:
    language = language_of(request)
    with coordinator_read(request) as (session, who):
        scope = _scope(session, who, slug)
        query, problems, shown, every = _chosen(request, session, scope, preset)
        chosen_columns = columns(scope.plan is None)
        base = scope.base if preset is None else f"/samordnare/planer/{slug}/forsenade"
        paging = Paging.of(request.query_params, len(shown), ROWS_PER_PAGE)
        context = {
            "plan": scope.plan, "scope": scope, "rows": paging.slice(shown), "shown": len(shown),
            "paging": paging, "query": query,
            "page_link": lambda n: with_query(base, {**query.params(), PAGE: str(n)}, request),
            "problems": problems, "columns": chosen_columns, "sort_of": SORT_OF,
            "headings": {c: heading(c, language) for c in chosen_columns},
            "action": base, "overdue_page": preset is not None,
            "current": "overdue" if preset is not None else (
                "activities" if scope.plan is not None else "all"),
            "sort_link": lambda column: with_query(base, _toggle(query, column), request),
            "export_link": lambda name: with_query(f"{scope.base}.{name}", query.params(),
                                                   request),
            **_filters(session, scope, every)}
        return page(request, who, "coordinator_table.html", context)


def _toggle(query: ActivityQuery, column: str) -> dict[str, str]:
    """A heading's link: sort by its column, or turn the order around."""
    key = SORT_OF[column]
    descending = not query.descending if query.sort == key else False
    return query.params(sort=key, descending=descending)


def _export(request: Request, slug: str | None, format_name: str) -> Response:
    app, language = lokflow_app(request), language_of(request)
    with coordinator_read(request) as (session, who):
        scope = _scope(session, who, slug)
        _, _, shown, _ = _chosen(request, session, scope, None)
        title = scope.plan.short_name if scope.plan else PAGE_TEXTS[language]["nav_all_activities"]
        table = activity_table(shown, columns(scope.plan is None), language, scope.name, title,
                               app.settings.tz)
    return download(table, format_name, f"lokflow-{slug or 'alla'}-aktiviteter")


@router.get("/samordnare/aktiviteter", response_class=HTMLResponse)
def all_activities(request: Request) -> HTMLResponse:
    """Every activity of every plan this coordinator may see."""
    return _table_page(request, None)


@router.get("/samordnare/aktiviteter.{format_name}")
def export_all(request: Request, format_name: str) -> Response:
    return _export(request, None, format_name)


@router.get("/samordnare/planer/{slug}/aktiviteter", response_class=HTMLResponse)
def plan_activities(request: Request, slug: str) -> HTMLResponse:
    """One plan's activities: search, filter, sort."""
    return _table_page(request, slug)


@router.get("/samordnare/planer/{slug}/aktiviteter.{format_name}")
def export_plan(request: Request, slug: str, format_name: str) -> Response:
    """The table as CSV or XLSX, filtered and sorted as on the page."""
    return _export(request, slug, format_name)


@router.get("/samordnare/planer/{slug}/forsenade", response_class=HTMLResponse)
def overdue_list(request: Request, slug: str) -> HTMLResponse:
    """Deadlines that passed unresolved: since when, and the escalation reached."""
    return _table_page(request, slug, ActivityQuery(overdue=True, sort="overdue"))
