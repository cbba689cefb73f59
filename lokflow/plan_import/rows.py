"""The rows of one foreign table as activities to import: the header found,
commitment headings (a merged row, or a number like '2.' with text and
nothing else) giving the commitment of the rows below, each cell kept with
its column so that every problem can name it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lokflow.plan_import.columns import Columns, detect, letter, normal
from lokflow.plan_import.mapping import Mapping
from lokflow.plan_import.tables import Table
from lokflow.plans.workbook_cells import is_empty, text_of
from lokflow.texts.import_words import PARTY_WORDS
from lokflow.texts.plan_problems import WHERE

_HEADING_NUMBER = re.compile(r"^\d{1,3}\.?$")


@dataclass
class Heading:
    number: str | None
    text: str


@dataclass
class ImportRow:
    table: str
    row: int
    party: str | None
    heading: Heading | None
    values: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    """role -> column letter, for problems."""


@dataclass
class TableView:
    """What the mapping step shows: the table, its columns and first rows."""

    label: str
    name: str
    kind: str
    columns: Columns
    first_rows: list[list[str]]
    used: bool
    party: str | None


def table_label(table: Table, language: str) -> str:
    words = WHERE[language]
    if table.kind == "sheet":
        return table.name
    if table.kind == "list":
        return words["list"]
    if table.name:
        return words["table_named"].format(index=table.index, name=table.name[:60])
    return words["table"].format(index=table.index)


def party_of(name: str, mapping: Mapping) -> str | None:
    if name in mapping.parties:
        return str(mapping.parties[name])
    if mapping.party is not None:
        return str(mapping.party)
    words = normal(name)
    for party, hints in PARTY_WORDS.items():
        if any(hint in words for hint in hints):
            return party
    return None


def _chosen(table: Table, label: str, mapping: Mapping) -> bool:
    return not mapping.tables or any(
        wanted in (table.name, label, str(table.index)) for wanted in mapping.tables)


def table_rows(table: Table, mapping: Mapping, language: str
               ) -> tuple[TableView, list[ImportRow]]:
    label = table_label(table, language)
    header = mapping.header_row - 1 if mapping.header_row else None
    columns = detect(table.rows, dict(mapping.columns), header)
    party = party_of(table.name, mapping)
    first = [[text_of(c) if not is_empty(c) else "" for c in row[:12]] for row in table.rows[:6]]
    used = columns.usable and _chosen(table, label, mapping)
    view = TableView(label, table.name, table.kind, columns, first, used, party)
    return view, (_rows(table, label, columns, party) if used else [])


def _rows(table: Table, label: str, columns: Columns, party: str | None) -> list[ImportRow]:
    found: list[ImportRow] = []
    heading: Heading | None = None
    for index in range(columns.header_row + 1, len(table.rows)):
        row = table.rows[index]
        values = {role: text_of(row[col]) for role, col in columns.roles.items()
                  if col < len(row) and not is_empty(row[col])}
        if not values:
            continue
        as_heading = _heading(row, values)
        if as_heading is not None:
            heading = as_heading
            continue
        if "commitment" in values and (heading is None or heading.text != values["commitment"]):
            heading = Heading(None, values["commitment"])
        found.append(ImportRow(label, index + 1, values.get("party") or party, heading, values,
                               {role: letter(col) for role, col in columns.roles.items()}))
    return found


def _heading(row: list[Any], values: dict[str, str]) -> Heading | None:
    """A commitment heading: one text across the row (merged cells), or a bare
    number with a text and no owner or timeline."""
    texts = [text_of(c) for c in row if not is_empty(c)]
    if len(texts) >= 2 and len(set(texts)) == 1:
        return Heading(None, texts[0])
    number = values.get("number", "")
    if (_HEADING_NUMBER.match(number) and "text" in values and "owners" not in values
            and "timeline" not in values):
        return Heading(number, values["text"])
    return None
