"""Text from plans and forms made safe for one-line fields of other formats
(email headers, iCalendar properties)."""

from __future__ import annotations


def one_line(value: str) -> str:
    """A value on one line: CR, LF and other control characters become spaces,
    so text from a plan can never start a header or property of its own."""
    return "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in value)
