"""The personal link to a party's own assessment: who may write it, and the
link itself (`/bedomning/<token>`).

A plan names each party's assessors (`follow_up.assessors`). Their link is a
token of scope `assessment` (random, stored as SHA-256, expiring after
`LOKFLOW_REPORT_LINK_DAYS`, revocable), bound to one plan, one party, one
follow-up year and one address. It opens that party's assessment and
nothing else, and only while the address is still one of the party's
assessors in the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.access import tokens
from lokflow.reporting.owner_access import LinkRefused
from lokflow.reporting.parties import BOTH
from lokflow.settings import Settings
from lokflow.store import tables as t

ASSESSMENT = "assessment"
PATH = "/bedomning"


@dataclass(frozen=True)
class AssessorScope:
    """What an assessment link opens: one party's assessment of one year."""

    token_id: int
    token_hash: str
    organisation_id: int
    plan_id: int
    email: str
    party: str
    year: int
    name: str


def assessors(plan: t.Plan) -> list[tuple[str, str]]:
    """(party, email) of every designated assessor of the plan, in plan order."""
    chosen = plan.document.get("follow_up", {}).get("assessors") or {}
    return [(party, str(email).lower()) for party in sorted(BOTH)
            for email in chosen.get(party) or []]


def assessor_name(session: Session, plan: t.Plan, email: str) -> str:
    """The name the plan gives this address anywhere, else the address."""
    name = session.scalar(select(t.Contact.name).where(
        t.Contact.plan_id == plan.id, t.Contact.email == email.lower(),
        t.Contact.archived.is_(False)).order_by(t.Contact.id).limit(1))
    return name or email


def assessment_url(settings: Settings, raw: str) -> str:
    return f"{settings.base_url.rstrip('/')}{PATH}/{raw}"


def issue_assessment_link(session: Session, settings: Settings, plan: t.Plan, email: str,
                          party: str, year: int, now: datetime, label: str = "email") -> str:
    """A fresh link for one assessor of one party and year."""
    issued = tokens.issue(session, scope=ASSESSMENT, organisation_id=plan.organisation_id,
                          plan_id=plan.id, now=now, label=label,
                          subject={"email": email.lower(), "party": party, "year": year},
                          valid_for=timedelta(days=settings.report_link_days))
    return assessment_url(settings, issued.raw)


def open_assessment_link(session: Session, raw: str, now: datetime) -> AssessorScope:
    """The assessor behind a raw token: 404 for an unknown or malformed one,
    403 for one that expired, was revoked, or whose holder is no longer an
    assessor of that party."""
    if not tokens.looks_like_token(raw):
        raise LinkRefused(404)
    row = session.scalar(select(t.AccessToken).where(
        t.AccessToken.token_hash == tokens.hash_token(raw),
        t.AccessToken.scope == ASSESSMENT))
    subject = row.subject if row is not None else {}
    if row is None or row.plan_id is None or not _well_formed(subject):
        raise LinkRefused(404)
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        raise LinkRefused(403)
    plan = session.get_one(t.Plan, row.plan_id)
    email, party = str(subject["email"]), str(subject["party"])
    if plan.archived or (party, email) not in assessors(plan):
        raise LinkRefused(403)
    tokens.note_use(session, row, now)
    return AssessorScope(token_id=row.id, token_hash=row.token_hash,
                         organisation_id=row.organisation_id, plan_id=plan.id, email=email,
                         party=party, year=int(subject["year"]),
                         name=assessor_name(session, plan, email))


def _well_formed(subject: dict[str, object]) -> bool:
    year = subject.get("year")
    return (isinstance(subject.get("email"), str) and subject.get("party") in BOTH
            and isinstance(year, int) and 1990 <= year <= 2200)
