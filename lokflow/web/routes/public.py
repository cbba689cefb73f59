"""A plan's public page (öppenhet och insyn): `/insyn/{slug}` in HTML, and
the same as `.json`, `.csv` and `.atom`, plus its published annual reports
as PDF. No login, no token, no cookie, nothing from other sites; a plan
without `public: true` answers 404 like one that does not exist. Answers
come from the cache while nothing they show has changed, with an ETag and
Last-Modified for conditional requests (304)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select

from lokflow.feeds.http_cache import http_date, not_modified
from lokflow.public.cache import Answer
from lokflow.public.plan_view import PublicPlan, is_public, published_pdf
from lokflow.public.service import public_answer
from lokflow.reporting.principle_progress import STATUS_ORDER
from lokflow.store import tables as t
from lokflow.texts.annual_report import status_label
from lokflow.texts.follow_up import joint_waiting_text
from lokflow.web.deps import MAX_ID, digits, formats, lokflow_app
from lokflow.web.templating import language_of, render

router = APIRouter(include_in_schema=False)
CACHE_CONTROL = "public, no-cache"  # keep it, but ask again (cheaply, with the ETag)
METHODS = ["GET", "HEAD"]


def _respond(request: Request, answer: Answer | None) -> Response:
    if answer is None:
        raise HTTPException(404)
    headers = {"ETag": answer.etag, "Last-Modified": http_date(answer.last_modified),
               "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language, Cookie"}
    if not_modified(request.headers.get("if-none-match"),
                    request.headers.get("if-modified-since"),
                    answer.etag, answer.last_modified):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(answer.body))
        return Response(status_code=200, headers=headers, media_type=answer.media_type)
    return Response(answer.body, headers=headers, media_type=answer.media_type)


def _answer(request: Request, slug: str, kind: str) -> Response:
    app = lokflow_app(request)
    language = language_of(request)

    def html(view: PublicPlan) -> bytes:
        return _page(request, view, language)

    with app.read() as session:
        answer = public_answer(session, slug, kind, language, cache=app.public_cache,
                               today=app.today(), base_url=app.settings.base_url,
                               zone=app.settings.tz, html=html)
    return _respond(request, answer)


def _page(request: Request, view: PublicPlan, language: str) -> bytes:
    lq = "?lang=en" if language == "en" else ""
    page = render(request, "public_plan.html", {
        "v": view, "f": formats(request), "lq": lq,
        "label": lambda a: view.label(a.party, a.number, a.key, language),
        "joint": lambda state: joint_waiting_text(state.done_by, state.waiting_for, language),
        "statuses": [(status, status_label(status, language)) for status in STATUS_ORDER],
        "base": f"/insyn/{view.slug}"})
    return bytes(page.body)


@router.api_route("/insyn/{slug}.json", methods=METHODS)
def plan_json(request: Request, slug: str) -> Response:
    return _answer(request, slug, "json")


@router.api_route("/insyn/{slug}.csv", methods=METHODS)
def plan_csv(request: Request, slug: str) -> Response:
    response = _answer(request, slug, "csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return response


@router.api_route("/insyn/{slug}.atom", methods=METHODS)
def plan_atom(request: Request, slug: str) -> Response:
    return _answer(request, slug, "atom")


@router.api_route("/insyn/{slug}", methods=METHODS)
def plan_page(request: Request, slug: str) -> Response:
    return _answer(request, slug, "html")


@router.api_route("/insyn/{slug}/arsrapport-{report_id}.pdf", methods=METHODS)
def annual_report(request: Request, slug: str, report_id: str) -> Response:
    """A published annual report, as it went to the committee."""
    if not digits(report_id) or not 1 <= int(report_id) <= MAX_ID:
        raise HTTPException(404)
    with lokflow_app(request).read() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).first()
        pdf = published_pdf(session, plan, int(report_id)) if plan and is_public(plan) else None
    if pdf is None:
        raise HTTPException(404)
    headers = {"ETag": f'"report-{report_id}"', "Cache-Control": CACHE_CONTROL,
               "Content-Disposition": f'inline; filename="{slug}-{report_id}.pdf"'}
    if not_modified(request.headers.get("if-none-match"), None, headers["ETag"],
                    lokflow_app(request).now()):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(pdf))
        return Response(status_code=200, headers=headers, media_type="application/pdf")
    return Response(pdf, headers=headers, media_type="application/pdf")
