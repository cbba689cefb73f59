"""A plan's versions: the list, each version's changes in words (item by item,
field by field) with the future notices it changes, restoring an earlier
version (as a new one), and the plan as a file or workbook to download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lokflow.plans.export_yaml import export_yaml
from lokflow.plans.notice_preview import notice_changes
from lokflow.plans.plan_diff import Change, changed_keys
from lokflow.plans.plan_reading import current_document
from lokflow.plans.revision_apply import RevisionConflict, apply_document
from lokflow.plans.revisions import (
    Authored,
    find_revision,
    list_revisions,
    revision_document,
)
from lokflow.plans.workbooks import export_workbook
from lokflow.store import tables as t
from lokflow.web.coordinator_auth import check_csrf
from lokflow.web.coordinator_pages import coordinator_read, coordinator_session, page, plan_of
from lokflow.web.deps import DbId, lokflow_app
from lokflow.web.plan_display import display
from lokflow.web.plan_saving import author, base_of, first, posted_form, reason_of, refresh_later

router = APIRouter(include_in_schema=False)
BASE = "/samordnare/planer/{slug}/historik"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(BASE, response_class=HTMLResponse)
def history(request: Request, slug: str) -> HTMLResponse:
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        return page(request, who, "plan_history.html", {
            "plan": plan, "revisions": list_revisions(session, plan.id), "current": "edit"})


def _activities_touched(changes: list[Change], document: Any) -> list[str]:
    """Activities whose notices may change: changed ones, those of changed
    units, all of them when the plan's own settings changed."""
    keys = changed_keys(changes, "activity")
    units = set(changed_keys(changes, "unit"))
    plan_wide = any(c.section == "plan" and c.field.startswith(("follow_up", "policy",
                                                                  "period", "coordinators",
                                                                  "steering_group"))
                    for c in changes)
    for _, activity in document.activities():
        if plan_wide or units & set(activity.owners):
            keys.append(activity.id)
    return list(dict.fromkeys(keys))[:200]


@router.get(BASE + "/{number}", response_class=HTMLResponse)
def revision(request: Request, slug: str, number: DbId) -> HTMLResponse:
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        found = find_revision(session, plan.id, number)
        if found is None:
            raise HTTPException(404)
        changes = [Change.from_json(c) for c in found.changes]
        document = revision_document(found)
        before = find_revision(session, plan.id, number - 1)
        notices = notice_changes(revision_document(before) if before else None, document,
                                 _activities_touched(changes, document), app.today()) \
            if before is not None else []
        _, _, head = current_document(session, slug)
        return page(request, who, "plan_revision.html", {
            **display(request), "plan": plan, "revision": found, "changes": changes,
            "notices": notices,
            "head": head, "current": "edit", "first": before is None,
            "saved": request.query_params.get("sparad") == "1",
            "recomputed": request.query_params.get("omraknad") == "1",
            "reason_missing": False, "conflict": None})


@router.post(BASE + "/{number}/aterstall", response_class=HTMLResponse)
async def restore(request: Request, background: BackgroundTasks, slug: str,
                  number: DbId) -> Response:
    """The plan as it was in version `number`, saved as a new version."""
    posted = await posted_form(request)
    app = lokflow_app(request)
    reason = reason_of(posted)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, first(posted, "csrf"))
        plan = plan_of(session, who, slug)
        found = find_revision(session, plan.id, number)
        if found is None:
            raise HTTPException(404)
        if len(reason) < 3:
            return _again(request, who, plan, found, session, "reason_missing")
        try:
            applied = apply_document(
                session, revision_document(found),
                Authored(author(who.display_name, who.username), "restore", reason,
                         restored_from=number), app.now(), based_on=base_of(posted))
        except RevisionConflict as conflict:
            return _again(request, who, plan, found, session, "conflict", conflict)
    if applied.revision is None:
        return RedirectResponse(f"/samordnare/planer/{slug}/redigera?oforandrad=1",
                                status_code=303)
    refreshed = refresh_later(background, app)
    return RedirectResponse(f"{BASE.format(slug=slug)}/{applied.revision.number}?sparad=1"
                            + ("&omraknad=1" if refreshed else ""), status_code=303)


def _again(request: Request, who: Any, plan: t.Plan, found: t.PlanRevision, session: Any,
           why: str, conflict: RevisionConflict | None = None) -> HTMLResponse:
    _, _, head = current_document(session, plan.slug)
    return page(request, who, "plan_revision.html", {
        **display(request), "plan": plan, "revision": found,
        "changes": [Change.from_json(c) for c in found.changes],
        "notices": [], "head": head, "current": "edit", "first": False, "saved": False,
        "recomputed": False, "reason_missing": why == "reason_missing",
        "conflict": conflict}, status_code=422 if why == "reason_missing" else 409)


@router.get("/samordnare/planer/{slug}/export.{kind}")
def download(request: Request, slug: str, kind: str) -> Response:
    """The plan as it is now: a plan file (.yaml) or a workbook (.xlsx)."""
    if kind not in ("yaml", "xlsx"):
        raise HTTPException(404)
    with coordinator_read(request) as (session, who):
        plan_of(session, who, slug)
        _, document, head = current_document(session, slug)
    name = f"{slug}-v{head}.{kind}"
    if kind == "yaml":
        body, media = export_yaml(document).encode("utf-8"), "application/yaml; charset=utf-8"
    else:
        try:
            body, media = export_workbook(document), XLSX
        except ValueError:  # a text with control characters: a workbook cannot hold it
            raise HTTPException(422) from None
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
