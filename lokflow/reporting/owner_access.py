"""What a personal report link opens: the owner behind the token, and exactly
the activities that owner answers for.

A link is scoped to one contact email in one organisation (and optionally one
plan). It sees every open activity whose owner units list that email as a
contact, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.access import tokens
from lokflow.domain.contact_kinds import ContactKind
from lokflow.store import tables as t


class LinkRefused(LookupError):
    """The link cannot be used. `status` is 404 (unknown, forged, malformed) or
    403 (expired or revoked), so the page can say which without saying more."""

    def __init__(self, status: int) -> None:
        super().__init__("expired or revoked" if status == 403 else "unknown link")
        self.status = status


class OutOfScope(PermissionError):
    """An activity this link does not answer for (or one that does not exist)."""


@dataclass(frozen=True)
class OwnerScope:
    token_id: int
    token_hash: str
    organisation_id: int
    plan_id: int | None
    email: str
    name: str


def open_link(session: Session, raw: str, now: datetime) -> OwnerScope:
    """The owner behind a raw report token; notes the token as used."""
    if not tokens.looks_like_token(raw):
        raise LinkRefused(404)
    row = session.scalar(select(t.AccessToken).where(
        t.AccessToken.token_hash == tokens.hash_token(raw),
        t.AccessToken.scope == tokens.REPORT))
    email = str((row.subject or {}).get("email", "")).lower() if row else ""
    if row is None or not email:
        raise LinkRefused(404)
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        raise LinkRefused(403)
    tokens.note_use(session, row, now)
    return OwnerScope(token_id=row.id, token_hash=row.token_hash,
                      organisation_id=row.organisation_id, plan_id=row.plan_id, email=email,
                      name=_contact_name(session, row.organisation_id, email))


def _contact_name(session: Session, organisation_id: int, email: str) -> str:
    name = session.scalar(
        select(t.Contact.name).join(t.Plan, t.Plan.id == t.Contact.plan_id)
        .where(t.Plan.organisation_id == organisation_id, t.Contact.email == email,
               t.Contact.archived.is_(False))
        .order_by(t.Contact.kind != ContactKind.CONTACT, t.Contact.id).limit(1))
    return name or email


def scope_activities(session: Session, scope: OwnerScope) -> list[t.Activity]:
    """The open activities this owner answers for, by plan and position."""
    plans = select(t.Plan.id).where(t.Plan.organisation_id == scope.organisation_id,
                                    t.Plan.archived.is_(False))
    if scope.plan_id is not None:
        plans = plans.where(t.Plan.id == scope.plan_id)
    units = {(plan_id, key) for plan_id, key in session.execute(
        select(t.Contact.plan_id, t.Contact.unit_key).where(
            t.Contact.plan_id.in_(plans), t.Contact.kind == ContactKind.CONTACT,
            t.Contact.email == scope.email, t.Contact.archived.is_(False)))}
    if not units:
        return []
    candidates = session.scalars(
        select(t.Activity).join(t.Plan)
        .where(t.Activity.plan_id.in_({plan_id for plan_id, _ in units}),
               t.Activity.archived.is_(False))
        .order_by(t.Plan.slug, t.Activity.position))
    return [a for a in candidates if any((a.plan_id, k) in units for k in a.owner_keys)]


def activity_in_scope(session: Session, scope: OwnerScope, activity_id: int) -> t.Activity:
    """One activity of this owner, or OutOfScope — the same for a missing one."""
    for activity in scope_activities(session, scope):
        if activity.id == activity_id:
            return activity
    raise OutOfScope(activity_id)


def refused_link(session: Session, raw: str) -> t.AccessToken | None:
    """The report link behind an expired or revoked token (to offer a new one),
    or None for anything else."""
    if not tokens.looks_like_token(raw):
        return None
    row = session.scalar(select(t.AccessToken).where(
        t.AccessToken.token_hash == tokens.hash_token(raw),
        t.AccessToken.scope == tokens.REPORT))
    return row if row is not None and (row.subject or {}).get("email") else None
