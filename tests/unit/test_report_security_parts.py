"""The small security parts of status reports, without a server: signed form
values, password hashes, trusted proxies and the form parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from lokflow.access import signing
from lokflow.access.accounts import check_password, hash_password
from lokflow.web.proxies import is_trusted
from lokflow.web.report_form import parse_form

NOW = datetime(2023, 1, 10, 9, tzinfo=UTC)
KEY = b"k" * 32


def test_signed_values_are_bound_to_purpose_key_and_time() -> None:
    value = signing.sign(KEY, "report|abc", NOW)
    assert signing.verify(KEY, "report|abc", value, NOW + timedelta(hours=23))
    assert not signing.verify(KEY, "report|abc", value, NOW + timedelta(hours=25))
    assert not signing.verify(KEY, "report|abd", value, NOW)
    assert not signing.verify(b"x" * 32, "report|abc", value, NOW)
    expires, mac = value.split(".")
    assert not signing.verify(KEY, "report|abc", f"{int(expires) + 9999}.{mac}", NOW)


@pytest.mark.parametrize("value", [None, "", ".", "x.y", "1.", "ä.ö", "9" * 13 + ".ab",
                                   "1" * 300])
def test_malformed_signed_values_are_refused(value: str | None) -> None:
    assert not signing.verify(KEY, "p", value, NOW)


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("ett-langt-losenord"), hash_password("ett-langt-losenord")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert "ett-langt-losenord" not in first
    assert check_password("ett-langt-losenord", first)
    assert not check_password("ett-langt-losenorD", first)
    assert not check_password("x", "not-a-hash") and not check_password("x", "md5$a$b$c$d$e")


@pytest.mark.parametrize(("peer", "trusted", "allow_any", "expected"), [
    ("127.0.0.1", "127.0.0.1", True, True),
    ("127.0.0.2", "127.0.0.1", True, False),
    ("10.1.2.3", "127.0.0.1, 10.0.0.0/8", True, True),
    ("::1", "::1", True, True),
    ("203.0.113.9", "*", True, True),
    ("203.0.113.9", "*", False, False),
    (None, "127.0.0.1", True, False),
    ("testclient", "testclient", True, True),
])
def test_trusted_proxies(peer: str | None, trusted: str, allow_any: bool,
                         expected: bool) -> None:
    assert is_trusted(peer, trusted, allow_any) is expected


def test_form_parser_groups_fields_and_ignores_strangers() -> None:
    form = parse_form([("csrf", "v"), ("a1-status", "done"), ("a1-progress", "50 %"),
                       ("a1-key", "abcdefghijkl"), ("a2-status", ""), ("a2-key", "mnopqrstuvwx"),
                       ("a3-evil", "x"), ("other", "y"), ("a1-status", "paused")],
                      "Kim", "kim@example.org", date(2023, 1, 10))
    assert form.csrf == "v" and form.errors == []
    assert set(form.reports) == {1}  # activity 2 was left empty
    report = form.reports[1]
    assert (report.status.value, report.progress, report.submission_key, report.channel) == (
        "done", 50, "abcdefghijkl", "web")
    odd_key = parse_form([("a1-status", "done"), ("a1-key", "<bad key>")], "Kim", "k@x",
                         date(2023, 1, 10))
    assert odd_key.reports[1].submission_key is None
