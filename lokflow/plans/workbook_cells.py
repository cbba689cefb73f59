"""One plan field's value in one workbook cell, and back: numbers as numbers,
lists one item per line (numbers comma-separated), names to values as
'name: value' lines, nested parts as JSON, and text that looks like a formula
kept as text."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal, get_args, get_origin

from lokflow.plans.model_fields import FieldKind

TRUE_WORDS = {"true", "ja", "sant", "yes", "x", "1"}
FALSE_WORDS = {"false", "nej", "falskt", "no", "0"}


class CellProblem(ValueError):
    """A cell that cannot be read as its field's kind; `code` names the problem."""

    def __init__(self, code: str, value: object, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.value, self.detail = code, value, detail


def to_cell(kind: FieldKind, value: Any) -> Any:
    """The cell value of a field's JSON value (None leaves the cell empty)."""
    if value is None:
        return None
    if kind.shape in ("model", "models"):
        return json.dumps(value, ensure_ascii=False)
    if kind.shape == "mapping":
        return mapping_lines(value) or None
    if kind.shape == "list":
        if kind.base is int:
            return ", ".join(str(v) for v in value)
        if any("\n" in str(v) or not str(v).strip() for v in value) or not value:
            return json.dumps(value, ensure_ascii=False)
        return "\n".join(str(v) for v in value)
    return value


def is_empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def from_cell(kind: FieldKind, cell: Any) -> Any:
    """The JSON value of a non-empty cell for `kind`; raises CellProblem."""
    if kind.shape in ("model", "models"):
        return _json(cell)
    if kind.shape == "mapping":
        return read_mapping(text_of(cell))
    if kind.shape == "list":
        return _list(kind, cell)
    return scalar(kind.base, cell)


def mapping_lines(value: dict[str, Any]) -> str:
    """`{"budget": "06-15"}` as the line 'budget: 06-15' (one line per name)."""
    return "\n".join(f"{name}: {item}" for name, item in value.items())


def read_mapping(text: str) -> dict[str, str]:
    """'name: value' lines (or a JSON object) back into names and values."""
    if text.startswith("{"):
        found = _json(text)
        if not isinstance(found, dict):
            raise CellProblem("bad_json", text, "{}")
        return {str(k): str(v) for k, v in found.items()}
    data: dict[str, str] = {}
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise CellProblem("bad_json", text, line.strip()[:40])
        data[name.strip()] = value.strip()
    return data


def _json(cell: Any) -> Any:
    try:
        return json.loads(str(cell))
    except ValueError as error:
        raise CellProblem("bad_json", cell, str(error)[:80]) from None


def _list(kind: FieldKind, cell: Any) -> list[Any]:
    text = text_of(cell)
    if text.startswith("["):
        found = _json(text)
        if not isinstance(found, list):
            raise CellProblem("bad_json", cell, "a list")
        return found
    separator = "," if kind.base is int else "\n"
    items = [part.strip() for part in text.replace("\r\n", "\n").split(separator)]
    return [scalar(kind.base, item) for item in items if item]


def scalar(base: Any, cell: Any) -> Any:
    if base is int or (get_origin(base) is Literal
                       and all(isinstance(v, int) for v in get_args(base))):
        return _integer(cell)
    if base is bool:
        return _boolean(cell)
    if base is date:
        if isinstance(cell, datetime | date):
            return (cell.date() if isinstance(cell, datetime) else cell).isoformat()
        return text_of(cell)
    return text_of(cell)


def text_of(cell: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO dates."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _integer(cell: Any) -> int:
    if isinstance(cell, bool):
        raise CellProblem("bad_number", cell)
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    text = text_of(cell)
    if text.lstrip("-").isdigit() and text.isascii():
        return int(text)
    raise CellProblem("bad_number", cell)


def _boolean(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    word = text_of(cell).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellProblem("bad_bool", cell)
