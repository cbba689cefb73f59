"""Swedish working days: weekends, public holidays and the de facto holidays
(midsommarafton, julafton, nyårsafton) are not working days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _holidays(year: int) -> frozenset[date]:
    found = holidays.country_holidays(
        "SE", years=year, categories=("public", "de_facto"), language="sv"
    )
    return frozenset(found.keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def on_or_before(day: date) -> date:
    """`day` if it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def on_or_after(day: date) -> date:
    """`day` if it is a working day, else the working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """Move `count` working days forward (or back, if negative) from `day`."""
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day
