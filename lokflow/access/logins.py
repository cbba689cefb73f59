"""A coordinator's local login: count the attempt (services.login_throttle),
check the password outside any transaction, and on success start a server-side
session (services.web_sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from lokflow.access.accounts import find_user, password_matches
from lokflow.access.login_throttle import Refused, give_back, reserve
from lokflow.access.web_sessions import start_session
from lokflow.store import tables as t


@dataclass(frozen=True)
class LoginResult:
    user: t.User | None = None
    """Set on success."""
    session_value: str | None = None
    """The new session's cookie value, on success."""
    retry_after: int | None = None
    """Set when the attempt was refused before any password check."""


def log_in(sessions: sessionmaker[Session], address: str, username: str, password: str,
           now: datetime, lifetime: timedelta) -> LoginResult:
    name = username.strip()
    with sessions.begin() as session:
        reserved = reserve(session, address, name, now)
        if isinstance(reserved, Refused):
            return LoginResult(retry_after=reserved.retry_after)
        user = find_user(session, name) if len(name) <= 100 else None
    if not password_matches(user, password) or user is None:
        return LoginResult()  # the reserved attempt stays counted
    with sessions.begin() as session:
        give_back(session, reserved)
        raw = start_session(session, user.id, now, lifetime)
    return LoginResult(user=user, session_value=raw)
