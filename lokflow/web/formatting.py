"""How the pages write times, dates and statuses: local time, ISO dates,
status labels in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from lokflow.domain.statuses import Status
from lokflow.texts.dates import long_date
from lokflow.texts.pages import PAGE_TEXTS


class Step(Protocol):
    key: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Formats:
    tz: ZoneInfo
    language: str

    def moment(self, at: datetime | None) -> str:
        return at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if at else "–"

    def day(self, value: date | None) -> str:
        return value.isoformat() if value else "–"

    def occurrence(self, key: str) -> str:
        """'deadline', '2024' or 'checkin-2024-10-01' in words."""
        words = PAGE_TEXTS[self.language]
        if key == "deadline":
            return words["occurrence_deadline"]
        if key.isdigit():
            return words["occurrence_year"].format(year=key)
        if key.startswith("checkin-"):
            return words["occurrence_checkin"].format(day=key.removeprefix("checkin-"))
        return key

    def status(self, value: str | None) -> str:
        if not value:
            return "–"
        try:
            return Status(value).label(self.language)
        except ValueError:
            return value

    def statuses(self) -> list[tuple[str, str]]:
        """(API name, label) of every status, in the order people expect them."""
        return [(s.value, s.label(self.language)) for s in Status]

    def long(self, value: date | None) -> str:
        """'15 december 2026': dates people read in sentences."""
        return long_date(value, self.language) if value else "–"

    def step(self, step: Step) -> str:
        """A sentence of `texts` with its dates written out."""
        values = {k: self.long(v) if isinstance(v, date) else v for k, v in step.values.items()}
        return PAGE_TEXTS[self.language][step.key].format(**values)

    def words(self) -> dict[str, str]:
        return PAGE_TEXTS[self.language]
