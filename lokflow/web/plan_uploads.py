"""Uploaded files waiting between the import's steps (mapping, preview,
apply): kept under LOKFLOW_HOME/imports, named by a random token and the
coordinator's id, removed after use or after a day."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from lokflow.plan_import.tables import suffix_of

KEEP_SECONDS = 24 * 3600
_NAME = re.compile(r"^[A-Za-z0-9_-]{22}$")


def folder(home: Path) -> Path:
    path = home / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def keep(home: Path, user_id: int, filename: str, raw: bytes) -> str:
    """Store the upload; the token names it in the next steps' URLs."""
    suffix = suffix_of(filename)
    token = secrets.token_urlsafe(16)
    place = folder(home)
    _tidy(place)
    (place / f"{user_id}-{token}{suffix}").write_bytes(raw)
    return token


def find(home: Path, user_id: int, token: str) -> tuple[Path, str] | None:
    """(the file, its suffix) if this coordinator uploaded it."""
    if not _NAME.match(token):
        return None
    for path in folder(home).glob(f"{user_id}-{token}.*"):
        return path, path.suffix
    return None


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def _tidy(place: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in place.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
