"""Feed subscriptions: secret URLs that name one feed (kind + target + options).

Emails must show the same personal feed URL every time, yet raw tokens are
never stored. So a feed token is not random but derived:

    token = base64url(HMAC-SHA256(secret key, "feed|kind|target|options|version"))

and only its SHA-256 is kept in `access_tokens` (scope 'feed'), with kind,
target, options and version in `subject`. Whoever holds the secret key can
recompute the URL of a live subscription (for an email, or for `lokflow feeds
list`); nobody can guess one. Revoking a subscription and asking again gives
version + 1: a new URL, while the old one answers 404. If the secret key
changes, lokflow issues new URLs and the old ones keep working until revoked.

Targets: plan `<plan>`, owner `<plan>/<unit>`, contact `<organisation>/<email>`,
organisation `<organisation>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lokflow.access import tokens
from lokflow.domain.contact_kinds import ContactKind
from lokflow.settings import Settings
from lokflow.store import tables as t

KINDS = ("plan", "owner", "contact", "organisation")


class UnknownTarget(LookupError):
    """No such plan, unit, contact or organisation (or it is archived)."""


class FeedKeys(Protocol):
    """What issuing a feed URL needs: the App satisfies it."""

    @property
    def settings(self) -> Settings: ...

    def secret(self) -> bytes: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class StaticKeys:
    """FeedKeys for callers that hold no App (EmailLinks is handed the key)."""

    settings: Settings
    key: bytes
    moment: datetime

    def secret(self) -> bytes:
        return self.key

    def now(self) -> datetime:
        return self.moment


@dataclass(frozen=True)
class FeedSpec:
    """Which feed, and how it is shown."""

    kind: str
    target: str
    alarm: bool = True
    language: str = "sv"

    def subject(self, version: int) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.target, "alarm": self.alarm,
                "language": self.language, "version": version}

    @classmethod
    def of(cls, subject: dict[str, Any]) -> tuple[FeedSpec, int]:
        spec = cls(kind=str(subject["kind"]), target=str(subject["target"]),
                   alarm=bool(subject.get("alarm", True)),
                   language=str(subject.get("language", "sv")))
        if spec.kind not in KINDS or spec.language not in ("sv", "en"):
            raise ValueError(f"not a feed subject: {subject!r}")
        return spec, int(subject.get("version", 1))


@dataclass(frozen=True)
class Subscription:
    row: t.AccessToken
    spec: FeedSpec
    version: int
    raw: str | None
    """The token, when it can still be derived (None after a key change)."""


@dataclass(frozen=True)
class SubscribeLinks:
    https: str
    webcal: str
    google: str


def derive_token(secret: bytes, spec: FeedSpec, version: int) -> str:
    message = (f"feed|{spec.kind}|{spec.target}|alarm={int(spec.alarm)}|"
               f"lang={spec.language}|{version}")
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def links(settings: Settings, raw: str) -> SubscribeLinks:
    """The https URL, its webcal:// twin, and Google's one-click link."""
    https = f"{settings.base_url.rstrip('/')}/feeds/{raw}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    google = "https://calendar.google.com/calendar/render?cid=" + quote(https, safe="")
    return SubscribeLinks(https=https, webcal=webcal, google=google)


def organisation_of(session: Session, spec: FeedSpec) -> tuple[int, int | None]:
    """(organisation id, plan id) of the target; UnknownTarget if it is gone."""
    head, _, rest = spec.target.partition("/")
    if spec.kind in ("plan", "owner"):
        plan = session.scalar(select(t.Plan).where(t.Plan.slug == head,
                                                   t.Plan.archived.is_(False)))
        if plan is None or (spec.kind == "owner" and not _unit_exists(session, plan.id, rest)):
            raise UnknownTarget(spec.target)
        return plan.organisation_id, plan.id
    organisation = session.scalar(select(t.Organisation).where(t.Organisation.slug == head))
    if organisation is None or (spec.kind == "contact" and not rest):
        raise UnknownTarget(spec.target)
    return organisation.id, None


def _unit_exists(session: Session, plan_id: int, key: str) -> bool:
    return session.scalar(select(t.Unit.id).where(
        t.Unit.plan_id == plan_id, t.Unit.key == key, t.Unit.archived.is_(False))) is not None


def _subscription(row: t.AccessToken, secret: bytes) -> Subscription | None:
    try:
        spec, version = FeedSpec.of(row.subject or {})
    except (KeyError, ValueError, TypeError):
        return None
    raw = derive_token(secret, spec, version)
    return Subscription(row, spec, version, raw if tokens.hash_token(raw) == row.token_hash
                        else None)


def subscriptions(
    session: Session, keys: FeedKeys, *, organisation_id: int | None = None,
    include_revoked: bool = False, kind: str | None = None, target: str | None = None,
) -> list[Subscription]:
    query = select(t.AccessToken).where(t.AccessToken.scope == tokens.FEED)
    if organisation_id is not None:
        query = query.where(t.AccessToken.organisation_id == organisation_id)
    if kind is not None and target is not None:  # JSON paths work on SQLite and PostgreSQL
        query = query.where(t.AccessToken.subject["kind"].as_string() == kind,
                            t.AccessToken.subject["target"].as_string() == target)
    if not include_revoked:
        query = query.where(t.AccessToken.revoked_at.is_(None))
    secret = keys.secret()
    rows = session.scalars(query.order_by(t.AccessToken.id))
    found = [_subscription(row, secret) for row in rows]
    return [s for s in found if s is not None]


def _same(session: Session, keys: FeedKeys, spec: FeedSpec,
          organisation_id: int) -> list[Subscription]:
    return [s for s in subscriptions(session, keys, organisation_id=organisation_id,
                                     include_revoked=True, kind=spec.kind, target=spec.target)
            if s.spec == spec]


def _live(same: list[Subscription]) -> Subscription | None:
    for existing in reversed(same):
        if existing.row.revoked_at is None and existing.raw is not None:
            return existing
    return None


def find(session: Session, keys: FeedKeys, spec: FeedSpec) -> Subscription | None:
    """The live subscription for `spec`, or None; writes nothing (read paths)."""
    organisation_id, _ = organisation_of(session, spec)
    return _live(_same(session, keys, spec, organisation_id))


def ensure(session: Session, keys: FeedKeys, spec: FeedSpec,
           label: str | None = None) -> Subscription:
    """The live subscription for `spec`, created if there is none."""
    organisation_id, plan_id = organisation_of(session, spec)
    same = _same(session, keys, spec, organisation_id)
    existing = _live(same)
    if existing is not None:
        return existing
    version = max((s.version for s in same), default=0) + 1
    raw = derive_token(keys.secret(), spec, version)
    row = t.AccessToken(token_hash=tokens.hash_token(raw), scope=tokens.FEED,
                        organisation_id=organisation_id, plan_id=plan_id,
                        subject=spec.subject(version), label=label, created_at=keys.now())
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same subscription, created at the same moment elsewhere
        row = session.scalars(select(t.AccessToken).where(
            t.AccessToken.token_hash == tokens.hash_token(raw))).one()
    return Subscription(row, spec, version, raw)


def revoke(session: Session, keys: FeedKeys, token_id: int) -> bool:
    row = session.get(t.AccessToken, token_id)
    if row is None or row.scope != tokens.FEED:
        return False
    return tokens.revoke(session, token_id, keys.now())


def open_feed(session: Session, raw: str, now: datetime) -> Subscription | None:
    """The live subscription behind a presented token, or None (404)."""
    row = tokens.resolve(session, raw, tokens.FEED, now)
    if row is None:
        return None
    try:
        spec, version = FeedSpec.of(row.subject or {})
    except (KeyError, ValueError, TypeError):
        return None
    tokens.note_use(session, row, now)
    return Subscription(row, spec, version, raw)


def _organisation_slug(session: Session, organisation_id: int) -> str:
    organisation = session.get(t.Organisation, organisation_id)
    if organisation is None:
        raise UnknownTarget(str(organisation_id))
    return organisation.slug


def contact_language(session: Session, email: str, organisation_id: int) -> str:
    """The language of a unit contact in this organisation; UnknownTarget if
    the email is no unit's contact there (it would get an empty feed)."""
    language = session.scalar(
        select(t.Contact.language).join(t.Plan, t.Plan.id == t.Contact.plan_id)
        .where(t.Plan.organisation_id == organisation_id, t.Plan.archived.is_(False),
               t.Contact.kind == ContactKind.CONTACT, t.Contact.archived.is_(False),
               func.lower(t.Contact.email) == email.lower())
        .order_by(t.Contact.id).limit(1))
    if language is None:
        raise UnknownTarget(email)
    return language


def contact_spec(session: Session, email: str, organisation_id: int, *, alarm: bool = True,
                 language: str | None = None) -> FeedSpec:
    language = language or contact_language(session, email, organisation_id)
    target = f"{_organisation_slug(session, organisation_id)}/{email.lower()}"
    return FeedSpec("contact", target, alarm=alarm, language=language)


def personal_feed_url(
    session: Session, app: FeedKeys, email: str, organisation_id: int, *,
    alarm: bool = True, language: str | None = None,
) -> str:
    """The stable https URL of a contact's own feed (created on first use).
    Raises UnknownTarget if the email is no unit's contact in the organisation."""
    spec = contact_spec(session, email, organisation_id, alarm=alarm, language=language)
    subscription = ensure(session, app, spec, label="personal")
    assert subscription.raw is not None
    return links(app.settings, subscription.raw).https


def feeds_of_contact(
    session: Session, app: FeedKeys, email: str, organisation_id: int
) -> list[Subscription]:
    """The contact's live personal feeds (for the report page to list)."""
    target = f"{_organisation_slug(session, organisation_id)}/{email.lower()}"
    return subscriptions(session, app, organisation_id=organisation_id, kind="contact",
                         target=target)


def revoke_for_contact(
    session: Session, app: FeedKeys, email: str, organisation_id: int, token_id: int
) -> bool:
    """Revoke one of the contact's own feeds; nobody else's. The next
    `personal_feed_url` then issues a new URL."""
    if token_id not in {s.row.id for s in feeds_of_contact(session, app, email, organisation_id)}:
        return False
    return revoke(session, app, token_id)
