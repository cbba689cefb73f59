"""Conditional GET for feeds: calendar clients poll every few hours, and a
304 spares both sides the whole calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

CACHE_CONTROL = "private, no-cache"
"""Clients may keep the feed but must ask again (cheaply, with ETag) each time."""


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, last_modified: datetime
) -> bool:
    """RFC 9110: If-None-Match decides when present (weak comparison);
    otherwise If-Modified-Since, to the second."""
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False
