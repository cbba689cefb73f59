"""Pieces of the coordinator's tables: sorting the organisation's plan table,
the plan table's columns for the page and its export, and a download answer
for a CSV or XLSX file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fastapi import HTTPException
from fastapi.responses import Response

from lokflow.reporting.dashboard import PlanRow
from lokflow.reporting.table_export import MEDIA_TYPES, WRITERS, Cell, Table
from lokflow.texts.pages import PAGE_TEXTS

PLAN_COLUMNS = ("plan", "organisation", "activities", "overdue", "soon", "round", "rate",
                "pending")
PLAN_SORTS = ("plan", "activities", "overdue", "soon", "round", "rate", "pending")
MAX_SEARCH = 100


@dataclass(frozen=True)
class PlanSort:
    """How the organisation's plan table is searched and sorted."""

    key: str = "plan"
    descending: bool = False
    text: str = ""

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> PlanSort:
        key = values.get("sort", "plan")
        text = values.get("q", "").strip()
        return cls(key if key in PLAN_SORTS else "plan", values.get("order") == "desc",
                   text if len(text) <= MAX_SEARCH and text.isprintable() else "")

    def params(self) -> dict[str, str]:
        found = {}
        if self.key != "plan":
            found["sort"] = self.key
        if self.descending:
            found["order"] = "desc"
        if self.text:
            found["q"] = self.text
        return found

    def link(self, key: str) -> dict[str, str]:
        """The parameters of a column heading's link: sort by it, or turn it around."""
        descending = not self.descending if key == self.key else key != "plan"
        return PlanSort(key, descending, self.text).params()

    def aria(self, key: str) -> str | None:
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    def apply(self, rows: Sequence[PlanRow]) -> list[PlanRow]:
        wanted = self.text.casefold()
        chosen = [r for r in rows if not wanted or wanted in (
            f"{r.name} {r.slug} {r.organisation}".casefold())]
        return sorted(chosen, key=lambda r: (r.sort_value(self.key), r.slug),
                      reverse=self.descending)


def plan_cells(row: PlanRow) -> list[Cell]:
    return [row.name, row.organisation, row.activities,
            row.counts["overdue"], row.counts["soon"], row.counts["round"],
            f"{row.percent} %" if row.percent is not None else None, row.counts["pending"]]


def plans_table(rows: Sequence[PlanRow], language: str) -> Table:
    words = PAGE_TEXTS[language]
    return Table(words["home_title"], [words[f"pcol_{c}"] for c in PLAN_COLUMNS],
                 [plan_cells(r) for r in rows])


def download(table: Table, format_name: str, stem: str) -> Response:
    """A table as a file; an unknown format is 404 like any unknown page."""
    if format_name not in WRITERS:
        raise HTTPException(404)
    return Response(WRITERS[format_name](table), media_type=MEDIA_TYPES[format_name], headers={
        "Content-Disposition": f'attachment; filename="{stem}.{format_name}"',
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})
