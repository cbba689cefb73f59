"""Coordinators' local accounts: scrypt password hashes with a random salt,
checked in constant time. A user with no organisation is an IT admin who sees
every organisation's plans."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.access.web_sessions import end_user_sessions
from lokflow.store import tables as t

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
USERNAME = re.compile(r"[A-Za-z0-9._@-]{2,100}")


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash`, all that is needed to check it later."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        name, n, r, p, salt, digest = stored.split("$")
        if name != "scrypt" or len(password) > MAX_PASSWORD:
            return False
        found = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                               r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, base64.b64decode(digest))


@cache
def _dummy_hash() -> str:
    """A hash to check unknown usernames against, so they cost the same time."""
    return hash_password(secrets.token_urlsafe(16))


def _valid_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"the password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return password


def add_user(session: Session, username: str, password: str, display_name: str,
             organisation_slug: str | None, now: datetime) -> t.User:
    if not USERNAME.fullmatch(username):
        raise AccountError("a username is 2-100 letters, digits or . _ @ -")
    if find_user(session, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    organisation_id = None
    if organisation_slug:
        organisation_id = session.scalar(select(t.Organisation.id).where(
            t.Organisation.slug == organisation_slug))
        if organisation_id is None:
            raise AccountError(f"no organisation {organisation_slug!r}; load its plan first")
    user = t.User(username=username, password_hash=hash_password(_valid_password(password)),
                  display_name=display_name.strip()[:300] or username,
                  organisation_id=organisation_id, created_at=now)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, username: str, password: str, now: datetime) -> t.User:
    """A new password also ends every session of the user."""
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    user.password_hash = hash_password(_valid_password(password))
    end_user_sessions(session, user.id, now)
    return user


def log_out_everywhere(session: Session, username: str, now: datetime) -> int:
    """End every session of a user (a lost laptop, someone who left); how many."""
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return end_user_sessions(session, user.id, now)


def find_user(session: Session, username: str) -> t.User | None:
    return session.scalar(select(t.User).where(t.User.username == username))


def authenticate(session: Session, username: str, password: str) -> t.User | None:
    """The user if the password is right. An unknown name costs the same time."""
    user = find_user(session, username) if len(username) <= 100 else None
    return user if password_matches(user, password) else None


def password_matches(user: t.User | None, password: str) -> bool:
    """The slow check, outside any transaction. No user costs the same time."""
    if user is None:
        check_password(password, _dummy_hash())
        return False
    return check_password(password, user.password_hash)


def list_users(session: Session) -> list[tuple[t.User, str | None]]:
    """Every user with the slug of their organisation (None: all organisations)."""
    query = (select(t.User, t.Organisation.slug)
             .outerjoin(t.Organisation, t.Organisation.id == t.User.organisation_id)
             .order_by(t.User.username))
    return [(user, slug) for user, slug in session.execute(query)]
