"""Which feed a coordinator means, from command-line style options."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lokflow.feeds.subscriptions import FeedSpec, UnknownTarget, contact_spec, organisation_of
from lokflow.store import tables as t

USAGE = ("name one feed: --plan SLUG, --plan SLUG --owner UNIT, "
         "--contact EMAIL with --organisation SLUG (or --plan SLUG), or --organisation SLUG")


def spec_from_options(
    session: Session, *, plan: str | None = None, owner: str | None = None,
    contact: str | None = None, organisation: str | None = None, alarm: bool = True,
    language: str | None = None, default_language: str = "sv",
) -> FeedSpec:
    """Raises UnknownTarget for a plan, unit, contact or organisation that does
    not exist, and ValueError for a combination that names no single feed."""
    if contact:
        return contact_spec(session, contact, _organisation_id(session, plan, organisation),
                            alarm=alarm, language=language)
    chosen = language or default_language
    if owner and plan:
        spec = FeedSpec("owner", f"{plan}/{_unit_key(session, plan, owner)}", alarm, chosen)
    elif plan and not organisation and not owner:
        spec = FeedSpec("plan", plan, alarm, chosen)
    elif organisation and not plan and not owner:
        spec = FeedSpec("organisation", organisation, alarm, chosen)
    else:
        raise ValueError(USAGE)
    organisation_of(session, spec)  # raises UnknownTarget
    return spec


def _organisation_id(session: Session, plan: str | None, organisation: str | None) -> int:
    if organisation:
        found = session.scalar(select(t.Organisation.id).where(
            t.Organisation.slug == organisation))
    elif plan:
        found = session.scalar(select(t.Plan.organisation_id).where(t.Plan.slug == plan))
    else:
        raise ValueError(USAGE)
    if found is None:
        raise UnknownTarget(organisation or plan or "")
    return found


def _unit_key(session: Session, plan: str, owner: str) -> str:
    """A unit by its id or, case-insensitively, its name."""
    key = session.scalar(
        select(t.Unit.key).join(t.Plan, t.Plan.id == t.Unit.plan_id)
        .where(t.Plan.slug == plan, t.Unit.archived.is_(False),
               or_(t.Unit.key == owner, func.lower(t.Unit.name) == owner.lower())))
    if key is None:
        raise UnknownTarget(f"{plan}/{owner}")
    return key
