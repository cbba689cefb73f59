"""Every router of the web app, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from lokflow.web.routes import (
    annual_reports,
    api,
    api_coordinator,
    coordinator,
    feeds,
    owner_reports,
)

ROUTERS: list[APIRouter] = [
    owner_reports.router,
    coordinator.router,
    api.router,
    feeds.router,
    annual_reports.router,
    api_coordinator.router,
]
