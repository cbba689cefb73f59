"""Conditional GET of feeds (RFC 9110): which requests get 304."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lokflow.feeds.http_cache import http_date, not_modified

ETAG = '"abc123"'
MODIFIED = datetime(2024, 11, 15, 8, 30, 12, 500000, tzinfo=UTC)
SAME = "Fri, 15 Nov 2024 08:30:12 GMT"


@pytest.mark.parametrize(("if_none_match", "if_modified_since", "expected"), [
    (None, None, False),
    (ETAG, None, True),
    (f'W/{ETAG}', None, True),
    (f'"other", {ETAG}', None, True),
    ("*", None, True),
    ('"other"', None, False),
    ('"other"', SAME, False),  # If-None-Match decides when present
    (None, SAME, True),
    (None, "Fri, 15 Nov 2024 09:00:00 GMT", True),
    (None, "Fri, 15 Nov 2024 08:30:11 GMT", False),
    (None, "not a date", False),
    (ETAG, "Thu, 01 Jan 1970 00:00:00 GMT", True),
])
def test_not_modified(if_none_match: str | None, if_modified_since: str | None,
                      expected: bool) -> None:
    assert not_modified(if_none_match, if_modified_since, ETAG, MODIFIED) is expected


def test_http_date_is_gmt() -> None:
    assert http_date(MODIFIED) == SAME
