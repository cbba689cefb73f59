"""A plan workbook's cells back into a plan document, checked by the same
rules as a plan file, every problem named by sheet, row and column."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_rules import violations
from lokflow.plans.model_fields import FieldKind
from lokflow.plans.plan_messages import Place, Problem, rule_problems, schema_problem
from lokflow.plans.plan_validation import SchemaErrors, validate_plan
from lokflow.plans.workbook_cells import CellProblem, from_cell, is_empty, text_of
from lokflow.plans.workbooks import (
    BASE_ROW,
    PEOPLE_LISTS,
    ROW_SHEETS,
    Column,
    Places,
    columns,
    plan_fields,
)
from lokflow.texts.plan_workbook import LABELS, SHEETS

Sheets = dict[str, list[list[Any]]]
MAX_PROBLEMS = 100


def _named(sheets: Sheets, key: str) -> tuple[str, list[list[Any]]] | None:
    wanted = {SHEETS[lang][key].casefold() for lang in SHEETS}
    for name, rows in sheets.items():
        if name.strip().casefold() in wanted:
            return name, rows
    return None


def workbook_base(sheets: Sheets) -> str | None:
    """The digest the workbook was exported from, if its plan sheet still says."""
    found = _named(sheets, "plan")
    for row in (found[1] if found else []):
        if len(row) > 1 and text_of(row[0]) == BASE_ROW and not is_empty(row[1]):
            return text_of(row[1])[:64]
    return None


def is_plan_workbook(sheets: Sheets) -> bool:
    """A workbook written by `lokflow export`: a plan sheet that names the format."""
    found = _named(sheets, "plan")
    return found is not None and any(
        row and text_of(row[0]) == "lokflow" for row in found[1][:5])


class _Reader:
    def __init__(self, sheets: Sheets) -> None:
        self.sheets = sheets
        self.places = Places()
        self.problems: list[Problem] = []

    def problem(self, code: str, sheet: str, row: int, column: str, value: Any = "",
                detail: str = "") -> None:
        self.problems.append(Problem(code, (), {"value": f"”{text_of(value)[:60]}”",
                                                "detail": detail}, Place(sheet, row, column)))

    def value(self, kind: FieldKind | None, cell: Any, where: tuple[str, int, str]) -> Any:
        if kind is None:
            return text_of(cell)
        try:
            return from_cell(kind, cell)
        except CellProblem as problem:
            self.problem(problem.code, *where, value=problem.value, detail=problem.detail)
            return None


def document_from_sheets(sheets: Sheets) -> PlanDocument | list[Problem]:
    reader = _Reader(sheets)
    data = _plan(reader)
    rows = {sheet: _rows(reader, sheet) for sheet in ROW_SHEETS}
    data["units"] = [item for item, _ in rows["units"]]
    data["principles"] = [item for item, _ in rows["principles"]]
    data["commitments"] = [{**item, "activities": []} for item, _ in rows["commitments"]]
    _place_items(reader, data, rows)
    if reader.problems:
        return reader.problems[:MAX_PROBLEMS]
    return _checked(reader, data)


def _plan(reader: _Reader) -> dict[str, Any]:
    found = _named(reader.sheets, "plan")
    if found is None:
        reader.problem("missing", SHEETS["sv"]["plan"], 0, "")
        return {}
    name, rows = found
    kinds = dict(plan_fields())
    data: dict[str, Any] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row or is_empty(row[0]):
            continue
        path = text_of(row[0])
        cell = row[1] if len(row) > 1 else None
        if path == BASE_ROW:
            continue
        if path not in kinds:
            reader.problem("unknown_field", name, number, "A", path)
            continue
        location = tuple(path.split("."))
        reader.places.add(location, name, number, "B")
        if not is_empty(cell):
            _set(data, location, reader.value(kinds[path], cell, (name, number, "B")))
    return data


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _header_keys(header: list[Any], sheet: str) -> list[Column | None]:
    known = {c.key: c for c in columns(sheet)}
    by_label = {key.casefold(): c for key, c in known.items()}
    for language in LABELS:
        for key, c in known.items():
            by_label.setdefault(LABELS[language].get(key, key).casefold(), c)
    return [by_label.get(text_of(cell).casefold()) if not is_empty(cell) else None
            for cell in header]


def _rows(reader: _Reader, sheet: str) -> list[tuple[dict[str, Any], int]]:
    found = _named(reader.sheets, sheet)
    if found is None:
        return []
    name, rows = found
    header = _header_keys(rows[0] if rows else [], sheet)
    items = []
    for number, row in enumerate(rows[1:], start=2):
        if all(is_empty(c) for c in row):
            continue
        item: dict[str, Any] = {"__where__": (name, number)}
        for index, column in enumerate(header):
            cell = row[index] if index < len(row) else None
            if column is None or is_empty(cell):
                continue
            where = (name, number, _letter(index))
            item[column.key] = reader.value(column.kind, cell, where)
            item.setdefault("__cells__", {})[column.key] = where
        items.append((item, number))
    return items


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _clean(item: dict[str, Any], reader: _Reader, path: tuple[str | int, ...],
           drop: Iterable[str] = ()) -> dict[str, Any]:
    sheet, row = item.pop("__where__")
    reader.places.add(path, sheet, row)
    for key, where in item.pop("__cells__", {}).items():
        reader.places.add((*path, key), *where)
    return {k: v for k, v in item.items() if k not in drop}


def _place_items(reader: _Reader, data: dict[str, Any],
                 rows: dict[str, list[tuple[dict[str, Any], int]]]) -> None:
    """Contacts under their lists and units, activities under their commitments."""
    for section in ("units", "principles", "commitments"):
        for index, item in enumerate(data[section]):
            data[section][index] = _clean(item, reader, (section, index))
    units = {u.get("id"): u for u in data["units"]}
    unit_index = {u.get("id"): i for i, u in enumerate(data["units"])}
    commitments = {c.get("id"): (i, c) for i, c in enumerate(data["commitments"])}
    data.setdefault("coordinators", [])
    data.setdefault("steering_group", [])
    for item, number in rows["contacts"]:
        _contact(reader, data, units, unit_index, item, number)
    for item, number in rows["activities"]:
        key = item.get("commitment")
        if key not in commitments:
            reader.problem("missing" if not key else "invalid", item["__where__"][0], number,
                           "A", key or "", detail=f"{key}")
            continue
        index, commitment = commitments[key]
        path = ("commitments", index, "activities", len(commitment["activities"]))
        commitment["activities"].append(_clean(item, reader, path, drop=("commitment",)))


def _list_name(text: str) -> str | None:
    for name in PEOPLE_LISTS:
        if text.casefold() in {name, *(LABELS[lang][f"list_{name}"].casefold()
                                       for lang in LABELS)}:
            return name
    return None


def _contact(reader: _Reader, data: dict[str, Any], units: dict[Any, dict[str, Any]],
             unit_index: dict[Any, int], item: dict[str, Any], number: int) -> None:
    sheet = item["__where__"][0]
    which = _list_name(str(item.get("list", "")))
    if which is None:
        reader.problem("bad_choice", sheet, number, "A", item.get("list", ""))
        return
    if which in ("coordinators", "steering_group"):
        path: tuple[str | int, ...] = (which, len(data[which]))
        data[which].append(_clean(item, reader, path, drop=("list", "unit")))
        return
    unit = units.get(item.get("unit"))
    if unit is None:
        reader.problem("unknown_unit", sheet, number, "B", item.get("unit", ""))
        return
    base: tuple[str | int, ...] = ("units", unit_index[item.get("unit")])
    if which == "escalation":
        unit["escalation"] = _clean(item, reader, (*base, "escalation"), drop=("list", "unit"))
    else:
        contacts = unit.setdefault("contacts", [])
        contacts.append(_clean(item, reader, (*base, "contacts", len(contacts)),
                               drop=("list", "unit")))


def _checked(reader: _Reader, data: dict[str, Any]) -> PlanDocument | list[Problem]:
    document = validate_plan(data, MAX_PROBLEMS)
    if isinstance(document, SchemaErrors):
        found = [schema_problem(item) for item in document.kept]
    else:
        found = rule_problems(v for _, v in zip(range(MAX_PROBLEMS), violations(document),
                                                strict=False))
        if not found:
            return document
    return [p.at(Place(*reader.places.of(p.path))) for p in found]
