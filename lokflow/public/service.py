"""The use case behind `/insyn/<plan>`: the page (HTML, rendered by the
web layer), its JSON, CSV and Atom, from the cache while nothing they show
has changed. A plan that is not public answers exactly like one that does
not exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lokflow.public.atom import atom_feed
from lokflow.public.cache import Answer, PublicCache, plan_row
from lokflow.public.changes import changes
from lokflow.public.open_data import plan_csv, plan_json
from lokflow.public.plan_view import PublicPlan, is_public, public_plan
from lokflow.store import tables as t

MEDIA = {"html": "text/html; charset=utf-8", "json": "application/json",
         "csv": "text/csv; charset=utf-8", "atom": "application/atom+xml; charset=utf-8"}
HtmlRenderer = Callable[[PublicPlan], bytes]


def public_answer(session: Session, slug: str, kind: str, language: str, *,
                  cache: PublicCache | None, today: date, base_url: str, zone: ZoneInfo,
                  html: HtmlRenderer | None = None) -> Answer | None:
    """The answer for one plan in one format and language, or None (no such
    public plan)."""
    found = plan_row(session, slug, today)
    if found is None:
        return None
    key = (slug, kind, language, found.stamp)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    plan = session.get_one(t.Plan, found.id)
    if not is_public(plan):
        return None
    view = public_plan(session, plan, zone)
    if kind == "html":
        assert html is not None
        body = html(view)
    elif kind == "json":
        body = plan_json(view, language, base_url)
    elif kind == "csv":
        body = plan_csv(view, language)
    else:
        body = atom_feed(view, changes(session, plan.id), language, base_url, zone)
    answer = Answer.of(body, MEDIA[kind], view.updated)
    if cache is not None:
        cache.put(key, answer)
    return answer
