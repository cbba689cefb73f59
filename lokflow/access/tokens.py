"""Secret links: random tokens, stored only as SHA-256 hashes, each scoped to
one subject (an owner's report page, a calendar feed, an API key), expiring
and revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lokflow.store import tables as t
from lokflow.store.database import after_read, is_read_only

REPORT, FEED, API = "report", "feed", "api"
TOKEN_BYTES = 32
TOUCH_EVERY = timedelta(hours=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def looks_like_token(raw: str) -> bool:
    """Cheap shape check before touching the database (43 url-safe characters)."""
    return 20 <= len(raw) <= 100 and all(c.isalnum() or c in "-_" for c in raw)


@dataclass(frozen=True)
class IssuedToken:
    raw: str
    row: t.AccessToken


def issue(
    session: Session,
    *,
    scope: str,
    organisation_id: int,
    subject: dict[str, Any],
    now: datetime,
    valid_for: timedelta | None,
    plan_id: int | None = None,
    label: str | None = None,
    flush: bool = True,
) -> IssuedToken:
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    row = t.AccessToken(
        token_hash=hash_token(raw), scope=scope, organisation_id=organisation_id,
        plan_id=plan_id, subject=subject, label=label, created_at=now,
        expires_at=now + valid_for if valid_for else None,
    )
    session.add(row)
    if flush:  # callers issuing thousands at once skip it: the commit writes them
        session.flush()
    return IssuedToken(raw=raw, row=row)


def resolve(session: Session, raw: str, scope: str, now: datetime) -> t.AccessToken | None:
    """The live token for `raw` in `scope`, or None (unknown, expired, revoked)."""
    if not looks_like_token(raw):
        return None
    row = session.scalar(select(t.AccessToken).where(
        t.AccessToken.token_hash == hash_token(raw), t.AccessToken.scope == scope))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    return row


def note_use(session: Session, row: t.AccessToken, now: datetime) -> None:
    """Stamp the token's last use, at most once per TOUCH_EVERY. A read
    request stamps after its read and skips it if the write lock is taken:
    a "last used" a little behind is better than an answer that waits."""
    if row.last_used_at is not None and now - row.last_used_at < TOUCH_EVERY:
        return
    token_id = row.id

    def stamp(writer: Session) -> None:
        writer.execute(update(t.AccessToken).where(t.AccessToken.id == token_id)
                       .values(last_used_at=now))

    if is_read_only(session):
        after_read(session, stamp)
    else:
        row.last_used_at = now


def revoke(session: Session, token_id: int, now: datetime) -> bool:
    row = session.get(t.AccessToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now
    return True
