"""Importing into a plan from the web: upload a file, see the tables and the
columns found (with the first rows) and change them, map unknown owners to
units or create them, preview what is created, changed and archived, and
save it as a new version with a reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from lokflow.plan_import.columns import ROLES, letter
from lokflow.plan_import.file_guard import MAX_FILE_BYTES, Refused, check_size
from lokflow.plan_import.mapping import NEW_UNIT, Mapping
from lokflow.plan_import.service import Prepared, prepare
from lokflow.plans.file_sync import refusal
from lokflow.plans.plan_diff import summarise
from lokflow.plans.plan_reading import current_document
from lokflow.plans.revision_apply import RevisionConflict, apply_document
from lokflow.plans.revisions import Authored
from lokflow.texts.import_refusals import REFUSALS
from lokflow.web import plan_uploads
from lokflow.web.coordinator_auth import check_csrf
from lokflow.web.coordinator_pages import coordinator_read, coordinator_session, page, plan_of
from lokflow.web.deps import lokflow_app
from lokflow.web.plan_display import display
from lokflow.web.plan_saving import Posted, author, base_of, first, reason_of, refresh_later
from lokflow.web.templating import language_of

router = APIRouter(include_in_schema=False)
BASE = "/samordnare/planer/{slug}/import"
SOURCES = {"plan_file": "import", "workbook": "workbook", "tables": "import"}


@router.get(BASE, response_class=HTMLResponse)
def upload_form(request: Request, slug: str) -> HTMLResponse:
    with coordinator_read(request) as (session, who):
        plan = plan_of(session, who, slug)
        return page(request, who, "plan_import.html", {
            "plan": plan, "current": "edit", "error": None})


@router.post(BASE, response_class=HTMLResponse)
async def upload(request: Request, slug: str) -> Response:
    """Keep the file for the next steps (refused at once if too big)."""
    app = lokflow_app(request)
    form = await request.form(max_files=1, max_fields=10)
    with coordinator_read(request) as (session, who):
        check_csrf(request, who, str(form.get("csrf", "")))
        plan = plan_of(session, who, slug)
        sent = form.get("file")
        error = None
        if not isinstance(sent, UploadFile) or not sent.filename:
            error = "import_missing"
        else:
            raw = await sent.read(MAX_FILE_BYTES + 1)
            try:
                check_size(len(raw))
                token = plan_uploads.keep(app.settings.home, who.id, sent.filename, raw)
            except Refused as refused:
                error = REFUSALS[language_of(request)][refused.code].format(**refused.values)
        if error is not None:
            return page(request, who, "plan_import.html", {
                "plan": plan, "current": "edit", "error": error}, status_code=422)
    return RedirectResponse(f"{BASE.format(slug=slug)}/{token}", status_code=303)


def _mapping(posted: Posted) -> Mapping:
    """The mapping step's choices: a role per column header, a party per table,
    a unit (or 'new') per unknown owner."""
    columns = {first(posted, f"header.{n}"): role for n in range(200)
               if (role := first(posted, f"role.{n}")) and first(posted, f"header.{n}")}
    owners = {name: unit for n in range(500)
              if (name := first(posted, f"owner_name.{n}")) and (unit := first(posted,
                                                                                 f"owner.{n}"))}
    parties = {name: party for n in range(100)
               if (name := first(posted, f"table_name.{n}"))
               and (party := first(posted, f"party.{n}")) in ("municipality", "civil_society",
                                                              "joint")}
    return Mapping(columns={k: v for k, v in columns.items() if v in (*ROLES, "ignore")},
                   owners=owners, parties=parties,
                   archive_missing=bool(first(posted, "archive_missing")) or not posted)


def _prepared(request: Request, who: Any, session: Any, slug: str, token: str,
              mapping: Mapping) -> tuple[Any, Prepared, int, str, Any, Any]:
    app = lokflow_app(request)
    found = plan_uploads.find(app.settings.home, who.id, token)
    if found is None:
        raise HTTPException(404)
    path, suffix = found
    plan = plan_of(session, who, slug)
    _, document, head = current_document(session, slug)
    prepared = prepare(path.read_bytes()[:MAX_FILE_BYTES + 1], f"upload{suffix}", document,
                       mapping, str(document.language))
    return plan, prepared, head, suffix, path, document.units


def _preview(request: Request, who: Any, plan: Any, prepared: Prepared, head: int,
             suffix: str, mapping: Mapping, doc_units: Any, status_code: int = 200,
             extra: dict[str, Any] | None = None) -> HTMLResponse:
    language = language_of(request)
    refused = (REFUSALS[language][prepared.refused.code].format(**prepared.refused.values)
               if prepared.refused else None)
    columns = [[(letter(i), header, next((r for r, c in v.columns.roles.items() if c == i),
                                          "ignore"))
                for i, header in enumerate(v.columns.headers) if header]
               for v in prepared.views]
    return page(request, who, "plan_import_preview.html", {
        "columns": columns, "doc_units": doc_units, **display(request),
        "unit_names": {u.id: u.name for u in doc_units},
        "plan": plan, "current": "edit", "p": prepared, "head": head, "suffix": suffix,
        "summary": summarise(prepared.changes), "refused": refused, "roles": ("ignore", *ROLES),
        "mapping": mapping, "new_unit": NEW_UNIT,
        "problems": [p.text(language) for p in prepared.problems], "reason": "",
        "reason_missing": False, "base_changed": None, **(extra or {})},
        status_code=status_code)


@router.get(BASE + "/{token}", response_class=HTMLResponse)
def preview(request: Request, slug: str, token: str) -> HTMLResponse:
    with coordinator_read(request) as (session, who):
        mapping = Mapping()
        plan, prepared, head, suffix, _, units = _prepared(request, who, session, slug, token,
                                                           mapping)
        return _preview(request, who, plan, prepared, head, suffix, mapping, units)


@router.post(BASE + "/{token}", response_class=HTMLResponse)
async def apply(request: Request, background: BackgroundTasks, slug: str,
                token: str) -> Response:
    """Update the preview with the chosen mapping, or import and save."""
    from lokflow.web.plan_saving import posted_form

    posted = await posted_form(request)
    app = lokflow_app(request)
    mapping = _mapping(posted)
    with coordinator_session(request) as (session, who):
        check_csrf(request, who, first(posted, "csrf"))
        plan, prepared, head, suffix, path, units = _prepared(request, who, session, slug,
                                                              token, mapping)
        reason = reason_of(posted)
        if first(posted, "action") != "apply" or not prepared.ok:
            return _preview(request, who, plan, prepared, head, suffix, mapping, units,
                            200 if first(posted, "action") != "apply" else 422,
                            {"reason": reason})
        if len(reason) < 3:
            return _preview(request, who, plan, prepared, head, suffix, mapping, units, 422,
                            {"reason_missing": True})
        assert prepared.document is not None
        if prepared.kind != "tables" and refusal(session, prepared.document,
                                                 prepared.based_on) is not None:
            return _preview(request, who, plan, prepared, head, suffix, mapping, units, 409,
                            {"base_changed": head, "reason": reason})
        try:
            applied = apply_document(session, prepared.document, Authored(
                author(who.display_name, who.username), SOURCES[prepared.kind],  # type: ignore[arg-type]
                reason, origin=f"upload{suffix}"), app.now(), based_on=base_of(posted))
        except RevisionConflict:
            return _preview(request, who, plan, prepared, head, suffix, mapping, units, 409,
                            {"base_changed": head, "reason": reason})
    plan_uploads.forget(path)
    if applied.revision is None:
        return RedirectResponse(f"/samordnare/planer/{slug}/redigera?oforandrad=1",
                                status_code=303)
    refreshed = refresh_later(background, app)
    return RedirectResponse(f"/samordnare/planer/{slug}/historik/{applied.revision.number}"
                            f"?sparad=1" + ("&omraknad=1" if refreshed else ""),
                            status_code=303)

