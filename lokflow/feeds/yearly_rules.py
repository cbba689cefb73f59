"""RRULEs for things that recur on fixed days of the year, and stable UIDs.

One recurring VEVENT replaces many copies (clients cap a feed near 1,000
events). A rule can only say one day of the month, so days of the year are
grouped by day; 29 February becomes "the last day of February", which is what
`MonthDay.in_year` means in common years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from lokflow.domain.timelines import MonthDay


def _rule_day(day: MonthDay) -> int:
    return -1 if (day.month, day.day) == (2, 29) else day.day


def month_day_rules(
    days: Iterable[MonthDay], *, until: date | None, interval: int = 1
) -> list[tuple[str, tuple[MonthDay, ...]]]:
    """One yearly rule per distinct day of the month, with the days it covers."""
    groups: dict[int, list[MonthDay]] = defaultdict(list)
    for day in sorted(set(days)):
        groups[_rule_day(day)].append(day)
    rules = []
    for by_day, members in sorted(groups.items(), key=lambda item: item[1][0]):
        parts = ["FREQ=YEARLY"]
        if interval > 1:
            parts.append(f"INTERVAL={interval}")
        parts.append("BYMONTH=" + ",".join(str(d.month) for d in members))
        parts.append(f"BYMONTHDAY={by_day}")
        rules.append((_with_until(";".join(parts), until), tuple(members)))
    return rules


def written_rule(rule: str, until: date | None) -> str:
    """A plan's own RRULE text as a property value, bounded by the plan's end."""
    body = rule.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    return _with_until(body, until)


def _with_until(rule: str, until: date | None) -> str:
    names = {part.split("=", 1)[0].upper() for part in rule.split(";")}
    if until is None or names & {"UNTIL", "COUNT"}:
        return rule
    return f"{rule};UNTIL={until:%Y%m%d}"
