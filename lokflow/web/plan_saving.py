"""What the editor's pages share: the posted form, a new version saved through
the one apply use case (conflicts and rule problems raised as they are), the
Prefect deployments brought in line afterwards, and problems placed next to
the form fields they concern."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from fastapi import BackgroundTasks, Request

from lokflow.bootstrap import App
from lokflow.plans.plan_messages import Loc, Problem
from lokflow.web.plan_forms import FormField

LOG = logging.getLogger("lokflow.web")
Posted = dict[str, list[str]]
MAX_REASON = 300


async def posted_form(request: Request) -> Posted:
    form = await request.form(max_fields=5000)
    found: Posted = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            found.setdefault(name, []).append(value)
    return found


def first(posted: Posted, name: str, default: str = "") -> str:
    values = posted.get(name)
    return values[0] if values else default


def reason_of(posted: Posted) -> str:
    return " ".join(first(posted, "reason").split())[:MAX_REASON]


def base_of(posted: Posted) -> int | None:
    text = first(posted, "base")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def author(display_name: str, username: str) -> str:
    return f"{display_name} ({username})"


def prefect_url(app: App) -> str | None:
    """Where Prefect is, if this deployment says so: the setting or Prefect's
    own environment variable. Deliberately not Prefect's in-process settings:
    a web server must not start talking to whatever Prefect a library set up."""
    return app.settings.prefect_api_url or os.environ.get("PREFECT_API_URL") or None


def refresh_later(background: BackgroundTasks, app: App) -> bool:
    """After the response: Prefect's deployments follow the new schedules (the
    daily sweep would do it too). False when no Prefect is configured."""
    if prefect_url(app) is None:
        return False
    background.add_task(_refresh, app)
    return True


async def _refresh(app: App) -> None:
    from lokflow.orchestration.refresh import refresh_deployments

    try:
        await refresh_deployments(app.sessions, app.settings, app.today())
    except Exception:  # Prefect down: the daily sweep refreshes again
        LOG.warning("refreshing the Prefect deployments after a plan edit failed",
                    exc_info=True)


def field_names(fields: Iterable[FormField]) -> set[str]:
    found: set[str] = set()
    for item in fields:
        found.add(item.name)
        found |= field_names(item.children)
        for children in item.items:
            found |= field_names(children)
    return found


def place_problems(problems: list[Problem], at: Loc, names: set[str], language: str
                   ) -> tuple[dict[str, str], list[str]]:
    """Problems next to their fields, and the ones elsewhere in the plan."""
    by_field: dict[str, str] = {}
    elsewhere: list[str] = []
    for problem in problems:
        name = _name(problem.path, at, names)
        if name is None:
            elsewhere.append(_where(problem) + problem.message(language))
        else:
            by_field.setdefault(name, problem.message(language))
    return by_field, elsewhere


def _name(path: Loc, at: Loc, names: set[str]) -> str | None:
    if path[:len(at)] != at:
        return None
    rest = [str(p) for p in path[len(at):]]
    while rest:
        if ".".join(rest) in names:
            return ".".join(rest)
        rest.pop()
    return None


def _where(problem: Problem) -> str:
    path = problem.path
    return (".".join(str(p) for p in path) + ": ") if path else ""
