"""Coordinators' login sessions, held on the server: the browser keeps a
random value, the database only its SHA-256, so a session ends the moment its
row is revoked (logout, a new password, `lokflow users logout`)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from lokflow.access.tokens import TOKEN_BYTES, hash_token, looks_like_token
from lokflow.store import tables as t

KEEP_ENDED = timedelta(days=30)
"""How long ended sessions stay in the table (who was logged in when)."""


def start_session(session: Session, user_id: int, now: datetime, lifetime: timedelta) -> str:
    """A new session for the user; returns the cookie value (never stored)."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    session.execute(delete(t.WebSession).where(t.WebSession.user_id == user_id,
                                               t.WebSession.expires_at < now - KEEP_ENDED))
    session.add(t.WebSession(token_hash=hash_token(raw), user_id=user_id, created_at=now,
                             expires_at=now + lifetime))
    session.flush()
    return raw


def find_session(session: Session, raw: str, now: datetime
                 ) -> tuple[t.WebSession, t.User] | None:
    """The live session behind a cookie value and its user, or None. Reads only."""
    if not looks_like_token(raw):
        return None
    found = session.execute(
        select(t.WebSession, t.User).join(t.User, t.User.id == t.WebSession.user_id)
        .where(t.WebSession.token_hash == hash_token(raw), t.WebSession.revoked_at.is_(None),
               t.WebSession.expires_at > now)).first()
    return (found[0], found[1]) if found else None


def end_session(session: Session, raw: str, now: datetime) -> bool:
    """Revoke the session behind a cookie value (logout)."""
    if not looks_like_token(raw):
        return False
    ended = session.execute(update(t.WebSession).where(
        t.WebSession.token_hash == hash_token(raw), t.WebSession.revoked_at.is_(None))
        .values(revoked_at=now))
    return bool(ended.rowcount)  # type: ignore[attr-defined]


def end_user_sessions(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every session of a user; returns how many were not yet revoked."""
    ended = session.execute(update(t.WebSession).where(
        t.WebSession.user_id == user_id, t.WebSession.revoked_at.is_(None))
        .values(revoked_at=now))
    return int(ended.rowcount)  # type: ignore[attr-defined]


def live_session_counts(session: Session, now: datetime) -> dict[int, int]:
    """User id -> number of live sessions (for `lokflow users list`)."""
    rows = session.execute(
        select(t.WebSession.user_id, func.count()).where(
            t.WebSession.revoked_at.is_(None), t.WebSession.expires_at > now)
        .group_by(t.WebSession.user_id))
    return {user_id: count for user_id, count in rows}
