"""The words lokflow shows people, in Swedish (the default) and English.

One catalogue, split by where the words appear: emails (`email`), calendar
feeds (`feeds`), the annual report (`annual_report`), the web pages
(`pages`, merged from `pages_*`), and the shared vocabulary of dates,
statuses and parties (`dates`, `vocabulary`). Every user-visible string lives
here; a test checks that each key exists in both languages.
"""

from __future__ import annotations

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


def known_language(language: str | None) -> str:
    """`language` if lokflow speaks it, else Swedish."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE
