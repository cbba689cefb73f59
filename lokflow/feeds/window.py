"""The stretch of time a feed covers: from a year back to three years ahead
by default. Google caps a subscription near 1 MB / ~1,000 events, so old and
far-off one-off events stay out; a recurring event is in when any of its
occurrences can be."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from lokflow.feeds.model import FeedEvent


@dataclass(frozen=True)
class FeedWindow:
    today: date
    days_back: int
    days_ahead: int

    @property
    def start(self) -> date:
        return self.today - timedelta(days=self.days_back)

    @property
    def end(self) -> date:
        return self.today + timedelta(days=self.days_ahead)

    def includes(self, event: FeedEvent) -> bool:
        return event.first <= self.end and (event.last is None or event.last >= self.start)

    def changed_on(self, events: Iterable[FeedEvent]) -> date | None:
        """The last day, up to today, on which an event entered or left the
        window as days went by: the feed changed then without any data
        changing, so Last-Modified must not be older."""
        days = []
        for event in events:
            days.append(event.first - timedelta(days=self.days_ahead))
            if event.last is not None:
                days.append(event.last + timedelta(days=self.days_back + 1))
        past = [day for day in days if day <= self.today]
        return max(past) if past else None
