"""Which RFC 5545 rules a plan may use, so that no timeline runs away.

A plan's RRULE names days, at most weekly: `FREQ=DAILY` would give an activity
365 deadlines a year, `FREQ=MINUTELY` 525,600 (`lokflow show` took 12 s and
393 MB). A rule must also fall due at all: one that matches no day (30
February, month 13) makes dateutil search every year up to 9999 each time its
dates are asked for, so such rules are refused from their text, before
dateutil runs.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

FINER_THAN_WEEKLY = ("DAILY", "HOURLY", "MINUTELY", "SECONDLY")
FREQUENCIES = ("WEEKLY", "MONTHLY", "YEARLY")
SUPPORTED = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "WKST")
MAX_PER_YEAR = 53
MAX_RULES_PER_PLAN = 100
MAX_INTERVAL = 100
_LONGEST = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
_WEEKDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INT = re.compile(r"[+-]?\d{1,4}")
_PERIOD_DAYS = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def rule_parts(rule: str) -> dict[str, str] | str:
    """'RRULE:FREQ=YEARLY;BYMONTH=3' -> {'FREQ': 'YEARLY', 'BYMONTH': '3'}, or a problem."""
    parts: dict[str, str] = {}
    for part in rule.strip().upper().removeprefix("RRULE:").split(";"):
        name, _, value = (piece.strip() for piece in part.partition("="))
        if not name:
            continue
        if name in parts:
            return f"invalid RRULE: {name} is given twice"
        parts[name] = value
    return parts


@lru_cache(maxsize=4096)
def rule_problem(rule: str, dtstart: date) -> str | None:
    """Why a plan may not use `rule` from `dtstart`, or None (kept: plans repeat rules)."""
    problem = static_problem(rule, dtstart)
    if problem is None:
        try:
            problem = dated_problem(parse_rule(rule, dtstart), rule, dtstart)
        except ValueError as error:
            problem = f"invalid RRULE: {error}"
    return problem


def static_problem(rule: str, dtstart: date) -> str | None:
    """Why a plan may not use `rule`, judged from its text alone; None if it may."""
    parts = rule_parts(rule)
    if isinstance(parts, str):
        return parts
    freq = parts.get("FREQ", "")
    if freq in FINER_THAN_WEEKLY:
        return (f"FREQ={freq} repeats more often than once a week; a plan's RRULE may repeat "
                "at most weekly (FREQ=WEEKLY, MONTHLY or YEARLY)")
    if freq not in FREQUENCIES:
        return f"invalid RRULE: FREQ={freq} is not a frequency; use WEEKLY, MONTHLY or YEARLY"
    for name in parts:
        if name not in SUPPORTED:
            return f"{name} is not supported in a plan's RRULE; use {', '.join(SUPPORTED)}"
    return _value_problem(parts) or _days_problem(parts, freq, dtstart)


def dated_problem(rule: rrule, rule_text: str, dtstart: date) -> str | None:
    """Why a parsed rule may not be used, judged from its dates over its first two
    periods (the static checks make sure that it comes to them soon)."""
    parts = rule_parts(rule_text)
    assert isinstance(parts, dict)
    interval = int(parts.get("INTERVAL", "1"))
    start = datetime.combine(dtstart, time())
    end = start + timedelta(days=_PERIOD_DAYS[parts["FREQ"]] * (interval + 1) + 366)
    year: deque[datetime] = deque()  # the dates of the last 365 days
    for moment in rule.xafter(start, inc=True):
        if moment >= end:
            break
        year.append(moment)
        while year[0] <= moment - timedelta(days=365):
            year.popleft()
        if len(year) > MAX_PER_YEAR:
            return (f"the RRULE falls due more than {MAX_PER_YEAR} times within a year "
                    f"(from {year[0]:%Y-%m-%d}); at most {MAX_PER_YEAR} (weekly) are allowed")
    if not year and rule.after(start, inc=True) is None:
        return "the RRULE never falls due (check UNTIL and COUNT)"
    return None


def usable_rule(rule: str, dtstart: date) -> bool:
    """Whether a stored rule may still be expanded (one from an earlier version may not)."""
    return static_problem(rule, dtstart) is None


def parse_rule(rule: str, dtstart: date) -> rrule:
    """dateutil's rule; raises ValueError for text that is not an RRULE."""
    try:
        parsed = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise ValueError(str(error) or type(error).__name__) from None
    if not isinstance(parsed, rrule):
        raise ValueError("not a single RRULE")
    return parsed


def _ints(value: str) -> list[int] | None:
    items = value.split(",")
    return [int(v) for v in items] if all(_INT.fullmatch(v.strip()) for v in items) else None


def _value_problem(parts: dict[str, str]) -> str | None:
    """Values outside what the calendar has (month 13, day 32, INTERVAL=0 ...)."""
    ranges = {"INTERVAL": (1, MAX_INTERVAL), "COUNT": (1, 9999), "BYMONTH": (1, 12)}
    for name, (low, high) in ranges.items():
        if name in parts:
            values = _ints(parts[name])
            if values is None or not all(low <= v <= high for v in values):
                return f"invalid RRULE: {name}={parts[name]}: use whole numbers {low} to {high}"
    if "BYMONTHDAY" in parts:
        days = _ints(parts["BYMONTHDAY"])
        if days is None or not all(1 <= abs(d) <= 31 for d in days):
            return (f"invalid RRULE: BYMONTHDAY={parts['BYMONTHDAY']}: use days 1 to 31, "
                    "or -1 for the last")
    for name in ("BYDAY", "WKST"):
        for day in parts.get(name, "MO").split(","):
            match = _WEEKDAY.fullmatch(day.strip())
            if not match or (match.group(1) and (name == "WKST" or int(match.group(1)) == 0)):
                return (f"invalid RRULE: {name}={parts[name]}: use weekdays such as MO, TU "
                        "or (in BYDAY) -1FR")
    return None


def _days_problem(parts: dict[str, str], freq: str, dtstart: date) -> str | None:
    """Combinations of days that never, or only by chance, fall on a date."""
    monthdays = (_ints(parts["BYMONTHDAY"]) or []) if "BYMONTHDAY" in parts else []
    if monthdays and freq == "WEEKLY":
        return "BYMONTHDAY needs FREQ=MONTHLY or YEARLY"
    every = int(parts.get("INTERVAL", "1")) == 1
    weekdays = [d.strip() for d in parts.get("BYDAY", "").split(",") if d.strip()]
    numbers = [abs(int(_WEEKDAY.fullmatch(d).group(1) or 0)) for d in weekdays]  # type: ignore[union-attr]
    if weekdays and monthdays and not every:
        return "BYDAY together with BYMONTHDAY (e.g. Friday the 13th) needs INTERVAL=1"
    if any(numbers) and not all(numbers):
        return "BYDAY mixes numbered (e.g. -1FR) and plain (e.g. MO) weekdays; use one kind"
    in_month = freq == "MONTHLY" or "BYMONTH" in parts
    most = 5 if in_month else 53
    for day, number in zip(weekdays, numbers, strict=True):
        if number and freq == "WEEKLY":
            return f"a numbered BYDAY ({day}) needs FREQ=MONTHLY or YEARLY"
        if number and monthdays:
            return f"a numbered BYDAY ({day}) cannot be combined with BYMONTHDAY"
        if number > most:
            return (f"BYDAY={day} never falls due: a {'month' if in_month else 'year'} has at "
                    f"most {most} of each weekday")
        if number == most and not every:
            return f"BYDAY={day} falls due only in some years; it needs INTERVAL=1"
    months = _reached_months(parts, freq, dtstart)
    if not months:
        return (f"the RRULE never falls due: every {parts.get('INTERVAL', '1')} months from "
                f"DTSTART ({dtstart:%Y-%m-%d}) never reaches BYMONTH={parts['BYMONTH']}")
    longest = _LONGEST if every else {**_LONGEST, 2: 28}
    if monthdays and not any(abs(d) <= longest[m] for d in monthdays for m in months):
        return (f"the RRULE never falls due: no month it reaches has day "
                f"{', '.join(str(abs(d)) for d in monthdays)} (BYMONTHDAY)"
                + ("" if every else " every year; 29 February needs INTERVAL=1"))
    return None


def _reached_months(parts: dict[str, str], freq: str, dtstart: date) -> set[int]:
    """The months a rule can fall in: BYMONTH, narrowed by a monthly INTERVAL."""
    months = set(_ints(parts.get("BYMONTH", "")) or range(1, 13))
    if freq == "MONTHLY":
        interval = (_ints(parts.get("INTERVAL", "1")) or [1])[0]
        months &= {(dtstart.month - 1 + k * interval) % 12 + 1 for k in range(12)}
    return months
