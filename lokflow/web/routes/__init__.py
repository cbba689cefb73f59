"""Every router of the web app, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from lokflow.web.routes import (
    annual_reports,
    api,
    api_coordinator,
    assessments,
    committee,
    coordinator,
    feeds,
    meetings,
    owner_links,
    owner_reports,
    plan_editor,
    plan_history,
    plan_import_pages,
    public,
    renegotiation,
)

ROUTERS: list[APIRouter] = [
    owner_reports.router,
    owner_links.router,
    coordinator.router,
    api.router,
    feeds.router,
    annual_reports.router,
    plan_editor.router,
    plan_history.router,
    plan_import_pages.router,
    api_coordinator.router,
    # issue 17: a party's own assessment, the committee's page, the public page
    assessments.router,
    committee.router,
    public.router,
    # issue 17, part two: dialogue meetings, renegotiation
    meetings.router,
    renegotiation.router,
]
