"""The plan editor for coordinators: the plan's details, its follow-up and
policy, units and their contacts, commitments and activities, each on a form
of its own. Every save is a new version with a required reason, checked by
the plan rules and refused when someone else saved in between (the page
then shows both sets of changes). Works without JavaScript; a small script
checks the timeline while it is typed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.notice_preview import preview_timeline
from lokflow.plans.plan_diff import Change
from lokflow.plans.plan_edits import Part, PartMissing, checked, merge, move_activity, part_data
from lokflow.plans.plan_reading import current_document
from lokflow.plans.revision_apply import RevisionConflict, apply_document
from lokflow.plans.revisions import Authored
from lokflow.web.coordinator_auth import Coordinator, check_csrf
from lokflow.web.coordinator_pages import coordinator_read, coordinator_session, page, plan_of
from lokflow.web.deps import lokflow_app
from lokflow.web.plan_display import display
from lokflow.web.plan_forms import build_fields, read_fields
from lokflow.web.plan_saving import (
    author,
    base_of,
    field_names,
    first,
    place_problems,
    posted_form,
    reason_of,
    refresh_later,
)
from lokflow.web.templating import language_of, render

router = APIRouter(include_in_schema=False)
BASE = "/samordnare/planer/{slug}/redigera"
URL_KINDS = {"uppgifter": "settings", "uppfoljning": "follow_up", "ansvarig": "unit",
             "atagande": "commitment", "aktivitet": "activity"}
NEW_KINDS = {"ny-ansvarig": "unit", "nytt-atagande": "commitment", "ny-aktivitet": "activity"}
Key = Annotated[str, Query(max_length=64)]


@router.get(BASE, response_class=HTMLResponse)
def editor(request: Request, slug: str) -> HTMLResponse:
    """The plan's parts, each with a link to its form."""
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        _, document, head = current_document(session, slug)
        return page(request, who, "plan_editor.html", {
            "plan": plan, "doc": document, "head": head, "current": "edit",
            "unchanged": request.query_params.get("oforandrad") == "1"})


def _part(kind: str, key: str | None) -> Part:
    if kind in URL_KINDS and key is not None:
        return Part(URL_KINDS[kind], key)
    if kind in ("uppgifter", "uppfoljning") and key is None:
        return Part(URL_KINDS[kind])
    if kind == "ny-aktivitet" and key is not None:
        return Part("activity", None, parent=key)
    if kind in NEW_KINDS and kind != "ny-aktivitet" and key is None:
        return Part(NEW_KINDS[kind])
    raise HTTPException(404)


@router.get(BASE + "/{kind}", response_class=HTMLResponse)
@router.get(BASE + "/{kind}/{key}", response_class=HTMLResponse)
def part_form(request: Request, slug: str, kind: str, key: str | None = None) -> HTMLResponse:
    part = _part(kind, key)
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        _, document, head = current_document(session, slug)
        try:
            _, values = part_data(document, part)
        except PartMissing:
            raise HTTPException(404) from None
        return _form(request, who, plan, document, part, values, head, app.today(), {
            "kind": kind, "key": key})


def _form(request: Request, who: Coordinator, plan: Any, document: PlanDocument, part: Part,
          values: dict[str, Any], base: int, today: Any, where: dict[str, Any],
          problems: list[Any] | None = None, reason: str = "", status_code: int = 200,
          conflict: dict[str, list[Change]] | None = None,
          reason_missing: bool = False, posted_base: int | None = None) -> HTMLResponse:
    fields = build_fields(part.model, values, skip=part.skip)
    by_field, elsewhere = place_problems(problems or [], _at(document, part), field_names(fields),
                                         language_of(request))
    if by_field:
        fields = build_fields(part.model, values, skip=part.skip, errors=by_field)
    preview = None
    if part.kind == "activity" and values.get("timeline"):
        preview = preview_timeline(document, str(values["timeline"]),
                                   values.get("annual_date"), today)
    shown = display(request)
    ctx = {"units": document.units, "principles": document.principles,
           "check_url": f"/samordnare/planer/{plan.slug}/redigera-tidsplan",
           "choice_label": shown["choice_label"]}
    return page(request, who, "plan_part.html", {
        **shown, "ctx": ctx, "parent": _parent(document, part), "posted_base": posted_base,
        "plan": plan, "doc": document, "part": part, "fields": fields, "base": base,
        "errors": by_field, "elsewhere": elsewhere, "reason": reason, "preview": preview,
        "conflict": conflict, "reason_missing": reason_missing, "current": "edit",
        "title": _title(document, part), "action": request.url.path, **where},
        status_code=status_code)


def _parent(document: PlanDocument, part: Part) -> str | None:
    """The commitment an activity is in (or goes into)."""
    if part.kind != "activity":
        return None
    for commitment, activity in document.activities():
        if activity.id == part.key:
            return commitment.id
    return part.parent


def _at(document: PlanDocument, part: Part) -> tuple[str | int, ...]:
    try:
        return part_data(document, part)[0]
    except PartMissing:
        return ()


def _title(document: PlanDocument, part: Part) -> tuple[str, str]:
    """A text key of the page's heading and the name it takes."""
    if part.kind in ("settings", "follow_up"):
        return f"part_{part.kind}", ""
    if part.key is None:
        return f"part_new_{part.kind}", part.parent or ""
    return f"part_{part.kind}", part.key


@router.post(BASE + "/{kind}", response_class=HTMLResponse)
@router.post(BASE + "/{kind}/{key}", response_class=HTMLResponse)
async def save_part(request: Request, background: BackgroundTasks, slug: str, kind: str,
                    key: str | None = None) -> Response:
    """Check, then save as a new version (or show the problems, or the conflict)."""
    part = _part(kind, key)
    posted = await posted_form(request)
    app = lokflow_app(request)
    try:
        with coordinator_session(request) as (session, who):
            check_csrf(request, who, first(posted, "csrf"))
            plan = plan_of(session, who, slug)
            _, document, head = current_document(session, slug)
            return _save(request, background, session, who, plan, document, head, part,
                         posted, {"kind": kind, "key": key})
    except IntegrityError:  # another save took this version number at the same moment
        with coordinator_read(request) as (session, who):
            plan = plan_of(session, who, slug)
            _, document, head = current_document(session, slug)
            values = read_fields(part.model, posted, skip=part.skip)
            return _form(request, who, plan, document, part, values, head, app.today(),
                         {"kind": kind, "key": key}, reason=reason_of(posted),
                         status_code=409, conflict={"theirs": [], "mine": []})


def _save(request: Request, background: BackgroundTasks, session: Session,
          who: Coordinator, plan: Any,
          document: PlanDocument, head: int, part: Part, posted: dict[str, list[str]],
          where: dict[str, Any]) -> Response:
    app = lokflow_app(request)
    action = first(posted, "action", "save")
    values = read_fields(part.model, posted, skip=part.skip)
    base = base_of(posted)
    try:
        data = merge(document, part, values, remove=action == "remove")
    except PartMissing:
        raise HTTPException(404) from None
    target = first(posted, "move_to")
    if part.kind == "activity" and target and action != "remove":
        data = move_activity(data, str(values.get("id", "")), target)
    result = checked(data)
    reason = reason_of(posted)
    missing = action != "check" and len(reason) < 3
    if action == "check" or isinstance(result, list) or missing:
        problems = result if isinstance(result, list) else []
        status = 200 if action == "check" and not problems else 422
        return _form(request, who, plan, document, part, values, base or head, app.today(),
                     where, problems, reason, status, reason_missing=missing)
    try:
        applied = apply_document(
            session, result,
            Authored(author(who.display_name, who.username), "web", reason), app.now(),
            based_on=base if base is not None else head)
    except RevisionConflict as conflict:
        return _form(request, who, plan, conflict_document(conflict), part, values,
                     conflict.head.number, app.today(), where, reason=reason, status_code=409,
                     conflict={"theirs": conflict.theirs, "mine": conflict.mine},
                     posted_base=conflict.base)
    if applied.revision is None:
        return RedirectResponse(f"/samordnare/planer/{plan.slug}/redigera?oforandrad=1",
                                status_code=303)
    refreshed = refresh_later(background, app)
    return RedirectResponse(f"/samordnare/planer/{plan.slug}/historik/"
                            f"{applied.revision.number}?sparad=1"
                            + ("&omraknad=1" if refreshed else ""), status_code=303)


def conflict_document(conflict: RevisionConflict) -> PlanDocument:
    return PlanDocument.model_validate(conflict.head.document)


@router.get(BASE + "-tidsplan", response_class=HTMLResponse)
def timeline_check(request: Request, slug: str,
                   text: Annotated[str, Query(max_length=4000)] = "",
                   annual_date: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    """The timeline's reading as a page fragment, for the editor's script."""
    app = lokflow_app(request)
    with coordinator_read(request) as (session, who):
        plan_of(session, who, slug)
        _, document, _ = current_document(session, slug)
        preview = preview_timeline(document, text, annual_date or None, app.today()) \
            if text.strip() else None
        return render(request, "_timeline_result.html", {
            "preview": preview, "f": _formats(request)})


def _formats(request: Request) -> Any:
    from lokflow.web.deps import formats

    return formats(request)
