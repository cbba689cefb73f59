"""Renegotiation carries open work into a new period, not its old dates."""

from __future__ import annotations

from datetime import date

import pytest

from lokflow.domain.period_shift import timeline_in_period
from lokflow.domain.timelines import MonthDay, TimelineContext

NEW = TimelineContext(annual_date=MonthDay(11, 15), period_start=date(2027, 1, 1))


@pytest.mark.parametrize(("timeline", "moved"), [
    ("2022", "Under 2027"),                      # a deadline before the period
    ("Senast 30 juni 2026", "Under 2027"),
    ("2022-2023", "Under 2027"),                 # a window wholly before it
    ("2025-2029", "2027-2029"),                  # the part of a window that is left
    ("2022 och framåt", "Löpande"),              # ongoing since before it
    ("2022-2023 och framåt", "Löpande"),
    ("Start 2022 i samband med att överenskommelsen antas", "Årligen"),
    ("Löpande", None),                           # already starts with the period
    ("Årligen", None),
    ("Vid behov", None),
    ("Följs upp i den gemensamma bedömningen", None),
    ("2028", None),                              # already inside
    ("Under hösten 2027", None),
    ("snart", None),                             # unreadable: validation names it
])
def test_a_timeline_moves_into_the_new_period(timeline: str, moved: str | None) -> None:
    assert timeline_in_period(timeline, NEW) == moved
