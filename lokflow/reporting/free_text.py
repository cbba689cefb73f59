"""Free text people type in the follow-up (assessments, the coordinator's
summary): the same rules as a status report's comment, so the same words
explain a refusal (`err_text_too_long`, `err_text_characters`)."""

from __future__ import annotations

import unicodedata

from lokflow.texts.report_rules import TEXT_LIMIT

__all__ = ["TEXT_LIMIT", "TextRefused", "free_text"]


class TextRefused(ValueError):
    """The text breaks a rule; `code` is a rule of `texts.report_rules`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def free_text(value: str | None, limit: int = TEXT_LIMIT) -> str | None:
    """CRLF as LF, trimmed, at most `limit` characters, no control characters
    but line breaks and tabs; empty is None."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise TextRefused("text_too_long")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise TextRefused("text_characters")
    return text or None
