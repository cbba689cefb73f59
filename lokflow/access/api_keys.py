"""API keys for integrations: organisation-scoped bearer tokens (AccessToken
scope 'api'), shown once at creation and stored only as a hash. A key's
access is `report` (read, and post status reports: the default) or
`coordinator` (also what a coordinator does: remind, decide dates, open
rounds, compile the annual report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.access import tokens
from lokflow.store import tables as t

REPORT_ACCESS, COORDINATOR_ACCESS = "report", "coordinator"
ACCESS = (REPORT_ACCESS, COORDINATOR_ACCESS)


class AccessKeyError(ValueError):
    """A key or link cannot be created or revoked; the message says why."""


@dataclass(frozen=True)
class ApiCaller:
    """Who an API request speaks for, and what it may do."""

    key_id: int
    organisation_id: int
    plan_id: int | None
    label: str
    access: str = REPORT_ACCESS

    @property
    def coordinates(self) -> bool:
        """Whether the key may act as a coordinator."""
        return self.access == COORDINATOR_ACCESS


def organisation_by_slug(session: Session, slug: str) -> t.Organisation:
    found = session.scalar(select(t.Organisation).where(t.Organisation.slug == slug))
    if found is None:
        raise AccessKeyError(f"no organisation {slug!r}; load its plan first")
    return found


def create_api_key(session: Session, organisation: str, label: str, now: datetime,
                   days: int | None = None, plan: str | None = None,
                   access: str = REPORT_ACCESS) -> tokens.IssuedToken:
    if access not in ACCESS:
        raise AccessKeyError(f"unknown scope {access!r}; use {' or '.join(ACCESS)}")
    org = organisation_by_slug(session, organisation)
    plan_id = None
    if plan:
        plan_id = session.scalar(select(t.Plan.id).where(
            t.Plan.slug == plan, t.Plan.organisation_id == org.id))
        if plan_id is None:
            raise AccessKeyError(f"organisation {organisation!r} has no plan {plan!r}")
    return tokens.issue(session, scope=tokens.API, organisation_id=org.id,
                        subject={"label": label, "access": access}, now=now, plan_id=plan_id,
                        label=label[:300],
                        valid_for=timedelta(days=days) if days else None)


def list_api_keys(session: Session) -> list[tuple[t.AccessToken, str, str | None]]:
    """Every API key with its organisation's and plan's slug."""
    query = (select(t.AccessToken, t.Organisation.slug, t.Plan.slug)
             .join(t.Organisation, t.Organisation.id == t.AccessToken.organisation_id)
             .outerjoin(t.Plan, t.Plan.id == t.AccessToken.plan_id)
             .where(t.AccessToken.scope == tokens.API).order_by(t.AccessToken.id))
    return [(row, org, plan) for row, org, plan in session.execute(query)]


def revoke_api_key(session: Session, key_id: int, now: datetime) -> bool:
    row = session.get(t.AccessToken, key_id)
    if row is None or row.scope != tokens.API:
        raise AccessKeyError(f"no API key {key_id}")
    return tokens.revoke(session, key_id, now)


def api_caller(session: Session, raw: str, now: datetime) -> ApiCaller | None:
    """The caller behind a bearer key, or None (unknown, expired, revoked)."""
    row = tokens.resolve(session, raw, tokens.API, now)
    if row is None:
        return None
    tokens.note_use(session, row, now)
    return ApiCaller(key_id=row.id, organisation_id=row.organisation_id, plan_id=row.plan_id,
                     label=row.label or f"api-key-{row.id}", access=key_access(row))


def key_access(row: t.AccessToken) -> str:
    """A key's access; keys made before scopes existed may report only."""
    found = (row.subject or {}).get("access", REPORT_ACCESS)
    return found if found in ACCESS else REPORT_ACCESS
