"""A plan as an XLSX workbook and back, without loss: a sheet of plan settings
(one field per row), and one sheet each of contacts, units, principles,
commitments and activities (one item per row). The columns come from the
plan models, so new fields get a column of their own. Export -> import ->
export gives the same cells."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from lokflow.domain.plan_document import (
    Activity,
    Commitment,
    Contact,
    PlanDocument,
    Principle,
    Unit,
)
from lokflow.plans.model_fields import FieldKind, field_kinds
from lokflow.plans.plan_json import digest_of
from lokflow.plans.workbook_cells import to_cell
from lokflow.texts.plan_workbook import LABELS, SHEETS

Loc = tuple[str | int, ...]
BASE_ROW = "lokflow-base"
"""The plan sheet's last row: the digest of the revision it was exported from."""
PEOPLE_LISTS = ("coordinators", "steering_group", "contacts", "escalation")
_TOP_LISTS = ("units", "principles", "commitments", "coordinators", "steering_group")
ROW_SHEETS: dict[str, tuple[type[BaseModel], tuple[str, ...], tuple[str, ...]]] = {
    # sheet: (model, columns before the model's fields, fields kept elsewhere)
    "contacts": (Contact, ("list", "unit"), ()),
    "units": (Unit, (), ("contacts", "escalation")),
    "principles": (Principle, (), ()),
    "commitments": (Commitment, (), ("activities",)),
    "activities": (Activity, ("commitment",), ()),
}


@dataclass(frozen=True)
class Column:
    key: str
    kind: FieldKind | None = None


def columns(sheet: str) -> list[Column]:
    model, extra, skipped = ROW_SHEETS[sheet]
    return [*(Column(key) for key in extra),
            *(Column(k.name, k) for k in field_kinds(model) if k.name not in skipped)]


def plan_fields(model: type[BaseModel] = PlanDocument, prefix: str = ""
                ) -> Iterator[tuple[str, FieldKind]]:
    """The plan sheet's rows: dotted paths of every setting, nested parts opened."""
    for kind in field_kinds(model):
        if not prefix and kind.name in _TOP_LISTS:
            continue
        if kind.shape == "model":
            yield from plan_fields(kind.base, f"{prefix}{kind.name}.")
        else:
            yield f"{prefix}{kind.name}", kind


def label(key: str, language: str) -> str:
    return LABELS[language].get(key, key)


def list_label(name: str, language: str) -> str:
    return LABELS[language][f"list_{name}"]


def export_workbook(document: PlanDocument) -> bytes:
    """The workbook's bytes (written by openpyxl)."""
    language = str(document.language)
    data = document.model_dump(mode="json")
    book = Workbook()
    book.remove(book.active)
    for sheet, rows in _sheet_rows(data, language):
        _write(book, SHEETS[language][sheet], rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_rows(data: dict[str, Any], language: str) -> Iterator[tuple[str, list[list[Any]]]]:
    words = LABELS[language]
    plan = [[words["field"], words["value"]]]
    for path, kind in plan_fields():
        plan.append([path, to_cell(kind, _get(data, path))])
    plan.append([BASE_ROW, digest_of(data)])
    yield "plan", plan
    for sheet in ROW_SHEETS:
        cols = columns(sheet)
        rows = [[label(c.key, language) for c in cols]]
        rows.extend([_cell(c, item) for c in cols] for item in _items(sheet, data, language))
        yield sheet, rows


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(column: Column, item: dict[str, Any]) -> Any:
    value = item.get(column.key)
    return to_cell(column.kind, value) if column.kind is not None else value


def _items(sheet: str, data: dict[str, Any], language: str) -> Iterator[dict[str, Any]]:
    if sheet == "contacts":
        for name in ("coordinators", "steering_group"):
            for person in data[name]:
                yield {"list": list_label(name, language), **person}
        for unit in data["units"]:
            for person in unit["contacts"]:
                yield {"list": list_label("contacts", language), "unit": unit["id"], **person}
            if unit.get("escalation"):
                yield {"list": list_label("escalation", language), "unit": unit["id"],
                       **unit["escalation"]}
    elif sheet == "activities":
        for commitment in data["commitments"]:
            for activity in commitment["activities"]:
                yield {"commitment": commitment["id"], **activity}
    else:
        yield from data[sheet]


def _write(book: Workbook, title: str, rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    for values in rows:
        sheet.append([_safe(v) for v in values])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that starts with '=' stays text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index in range(1, len(rows[0]) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    if rows[0] and len(rows[0]) == 2:
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 40, 80


def _safe(value: Any) -> Any:
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        raise ValueError("a text holds control characters that a workbook cannot store")
    return value


@dataclass
class Places:
    """Where each part of the document came from in the workbook."""

    found: dict[Loc, tuple[str, int, str]] = field(default_factory=dict)

    def add(self, path: Loc, sheet: str, row: int, column: str = "") -> None:
        self.found[path] = (sheet, row, column)

    def of(self, path: Loc) -> tuple[str, int, str]:
        """The cell of `path`, else the row of the nearest item that holds it."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.found:
                sheet, row, column = self.found[path[:end]]
                return sheet, row, column if end == len(path) else ""
        return "", 0, ""
