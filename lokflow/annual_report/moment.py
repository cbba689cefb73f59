"""The moment an annual report reads its data at: the follow-up year and a
cut-off time in the plan's zone. Reports, decisions and escalations after it
do not count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def end_of_year(year: int, zone: ZoneInfo) -> datetime:
    """The last microsecond of `year` in `zone`."""
    return datetime.combine(date(year + 1, 1, 1), time(), zone) - timedelta(microseconds=1)


def default_as_of(now: datetime, year: int, zone: ZoneInfo) -> datetime:
    """The data a report of `year` is built from: up to now, or, for a past
    year, up to the end of that year (so a late report shows that year)."""
    return min(now.astimezone(zone), end_of_year(year, zone))


@dataclass(frozen=True)
class Moment:
    """The follow-up year and the moment the data is read at, in the plan's zone."""

    year: int
    as_of: datetime
    zone: ZoneInfo

    @property
    def day(self) -> date:
        return self.as_of.date()

    @property
    def year_start(self) -> datetime:
        return datetime.combine(date(self.year, 1, 1), time(), self.zone)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def year_end(self, year: int) -> datetime:
        """The end of `year`, or the moment itself for the follow-up year."""
        return min(end_of_year(year, self.zone), self.as_of)

    def a_year_earlier(self) -> datetime:
        """The same moment a year before (28 February for a 29th)."""
        day = self.day
        try:
            earlier = day.replace(year=day.year - 1)
        except ValueError:
            earlier = day.replace(year=day.year - 1, day=28)
        return datetime.combine(earlier, self.as_of.timetz())
