"""A VTIMEZONE written with yearly RRULEs ("last Sunday of March").

icalendar can generate a VTIMEZONE from the tz database, but it lists every
transition as RDATEs; Outlook ignores RDATE inside VTIMEZONE and some parsers
read only the first date of an RDATE list. So the zone's current rule is
derived here from one year of the tz database: for each change, its month, its
weekday and whether it is the n-th or the last such weekday of the month.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FIRST_YEAR = 1970


@dataclass(frozen=True)
class Change:
    """One yearly change of UTC offset, at `wall` local time (before it)."""

    wall: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def by_day(self) -> str:
        return _by_day(self.wall)

    def first(self) -> datetime:
        """The day the rule gives in 1970, at the same wall time (DTSTART)."""
        for day in range(1, monthrange(FIRST_YEAR, self.wall.month)[1] + 1):
            candidate = self.wall.replace(year=FIRST_YEAR, day=day)
            if _by_day(candidate) == self.by_day:
                return candidate
        raise ValueError(f"no {self.by_day} in month {self.wall.month}")


def _by_day(day: datetime) -> str:
    """'-1SU' for the last Sunday of its month, '2SU' for the second ..."""
    length = monthrange(day.year, day.month)[1]
    ordinal = -1 if day.day > length - 7 else (day.day - 1) // 7 + 1
    return f"{ordinal}{WEEKDAYS[day.weekday()]}"


@lru_cache(maxsize=64)
def changes(tzid: str, year: int) -> tuple[Change, ...]:
    """The offset changes of `tzid` in `year`, found in the tz database."""
    zone = ZoneInfo(tzid)
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    while moment.year == year:
        step = moment + timedelta(days=1)
        if _offset(zone, step) != _offset(zone, moment):
            at = _bisect(zone, moment, step)
            before, after = _offset(zone, at - timedelta(minutes=1)), _offset(zone, at)
            local = at.astimezone(zone)
            found.append(Change(wall=(at + before).replace(tzinfo=None), offset_from=before,
                                offset_to=after, name=local.tzname() or tzid,
                                daylight=bool(local.dst())))
        moment = step
    return tuple(found)


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def _bisect(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first minute in (low, high] with the offset of `high`."""
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= low:
            middle = low + timedelta(minutes=1)
        if _offset(zone, middle) == _offset(zone, high):
            high = middle
        else:
            low = middle
    return high


def vtimezone(tzid: str, year: int = 2025) -> Timezone:
    """A VTIMEZONE for `tzid` with the rules in force in `year`."""
    component = Timezone()
    component.add("tzid", tzid)
    found = changes(tzid, year)
    if not found:
        local = datetime(year, 1, 1, tzinfo=ZoneInfo(tzid))
        offset = local.utcoffset() or timedelta(0)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(FIRST_YEAR, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", local.tzname() or tzid)
        component.add_component(standard)
        return component
    for change in found:
        part = TimezoneDaylight() if change.daylight else TimezoneStandard()
        part.add("dtstart", change.first())
        part.add("rrule", vRecur(freq="YEARLY", bymonth=change.wall.month,
                                 byday=change.by_day))
        part.add("tzoffsetfrom", change.offset_from)
        part.add("tzoffsetto", change.offset_to)
        part.add("tzname", change.name)
        component.add_component(part)
    return component


def holds(tzid: str, first: int, last: int, year: int = 2025) -> bool:
    """Whether the rules of `year` give the tz database's changes in every
    year from `first` to `last` (a check for tests and for odd zones)."""
    rules = [(c.wall.month, c.by_day, c.wall.time()) for c in changes(tzid, year)]
    for other in range(first, last + 1):
        seen = [(c.wall.month, c.by_day, c.wall.time()) for c in changes(tzid, other)]
        if seen != rules:
            return False
    return True
