"""Password guessing is limited before the password is checked: each login
attempt first reserves one unit of two counters, one for the client address
and one for the account typed, in a single database statement per counter
(an atomic upsert), and is refused if either is over the limit. Parallel
guesses and several web processes or servers therefore share one count, and
no more than LIMIT checks per window can start. A successful login gives its
units back, so only failed logins (and ones in progress) count."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lokflow.store import tables as t

LIMIT = 10
"""Failed logins per client address, and per account, in one window."""
WINDOW = timedelta(minutes=15)
SWEEP = 100
"""Expired counters deleted per attempt (keeps the table small)."""

COUNTER = t.LoginCounter


@dataclass(frozen=True)
class Reserved:
    """The attempt may check the password."""

    keys: tuple[str, str]


@dataclass(frozen=True)
class Refused:
    """Too many attempts: no password check; try again in `retry_after` seconds."""

    retry_after: int


def counter_keys(address: str, username: str) -> tuple[str, str]:
    """The address's counter first, then the account's (always this order, so
    two transactions never wait for each other's rows in a cycle)."""
    return (f"address:{address[:100]}", f"account:{username.strip().lower()[:100]}")


def reserve(session: Session, address: str, username: str, now: datetime) -> Reserved | Refused:
    """Count this attempt; refuse it (and count nothing) if a counter is full."""
    keys = counter_keys(address, username)
    counted = [_count(session, key, now) for key in keys]
    full = [start for attempts, start in counted if attempts > LIMIT]
    if full:
        for key in keys:
            _give_back(session, key)
        # A parallel request may have opened the window a moment after this
        # request's `now`: never tell anyone to wait longer than a window.
        wait = min(max(start + WINDOW - now for start in full), WINDOW).total_seconds()
        return Refused(retry_after=max(1, math.ceil(wait)))
    _forget_expired(session, now)
    return Reserved(keys)


def give_back(session: Session, reserved: Reserved) -> None:
    """A successful login: its attempt no longer counts."""
    for key in reserved.keys:
        _give_back(session, key)


def _count(session: Session, key: str, now: datetime) -> tuple[int, datetime]:
    """+1 on the key's counter, starting a new window if the last one ended."""
    expired = COUNTER.window_start <= now - WINDOW
    moment = literal(now, COUNTER.window_start.type)
    statement = _insert(session)(COUNTER).values(key=key, window_start=now, attempts=1)
    statement = statement.on_conflict_do_update(
        index_elements=[COUNTER.key],
        set_={"attempts": case((expired, 1), else_=COUNTER.attempts + 1),
              "window_start": case((expired, moment), else_=COUNTER.window_start)},
    ).returning(COUNTER.attempts, COUNTER.window_start)
    attempts, start = session.execute(statement).one()
    return int(attempts), start


def _give_back(session: Session, key: str) -> None:
    session.execute(update(COUNTER).where(COUNTER.key == key, COUNTER.attempts > 0)
                    .values(attempts=COUNTER.attempts - 1)
                    .execution_options(synchronize_session=False))


def _forget_expired(session: Session, now: datetime) -> None:
    """Delete a few ended windows; rows another attempt holds are skipped, never waited for."""
    old = select(COUNTER.key).where(COUNTER.window_start <= now - WINDOW).limit(SWEEP)
    if _dialect(session) == "postgresql":
        old = old.with_for_update(skip_locked=True)
    session.execute(delete(COUNTER).where(COUNTER.key.in_(old.scalar_subquery()))
                    .execution_options(synchronize_session=False))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _insert(session: Session) -> Any:
    return postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert
