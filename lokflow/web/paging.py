"""Pages of a long table (an organisation's 300 plans, 30,000 activities):
the page shows one slice, the export every row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
PARAM = "sida"


@dataclass(frozen=True)
class Paging:
    number: int
    size: int
    total: int

    @classmethod
    def of(cls, values: Mapping[str, str], total: int, size: int) -> Paging:
        raw = values.get(PARAM, "1")
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1
        return cls(min(max(number, 1), max(cls.count(total, size), 1)), size, total)

    @staticmethod
    def count(total: int, size: int) -> int:
        return -(-total // size)

    @property
    def pages(self) -> int:
        return self.count(self.total, self.size)

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    def slice(self, rows: Sequence[T]) -> Sequence[T]:
        return rows[self.first - 1:self.last] if self.total else rows
