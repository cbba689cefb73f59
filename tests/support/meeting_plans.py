"""Luleå's plan as a coordinator leaves it once the year's dialogue meetings
are booked: its source names no days (the bundled file gives none), so the
tests set 18 March and 18 September, the days Luleå's first meeting series
used, in a copy."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PLANS
from tests.support.real_contacts import PLACEHOLDER_LINE

MEETING_DAYS = ("03-18", "09-18")


def lulea_with_meeting_days(folder: Path, *, real_contacts: bool = False) -> Path:
    """A copy of plans/lulea.yaml in `folder` with `dialogue_meetings.dates`
    (and, for mail over SMTP, its placeholder contacts confirmed)."""
    text = (PLANS / "lulea.yaml").read_text(encoding="utf-8")
    if real_contacts:
        text = PLACEHOLDER_LINE.sub("", text)
    marker = "  dialogue_meetings:\n    per_year: 2\n"
    assert marker in text, "the bundled Luleå plan changed shape"
    days = ", ".join(f'"{day}"' for day in MEETING_DAYS)
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "lulea.yaml"
    copy.write_text(text.replace(marker, f"{marker}    dates: [{days}]\n"), encoding="utf-8")
    return copy
