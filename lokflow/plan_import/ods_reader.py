"""ODS spreadsheets read with expat in one pass: rows and columns repeated by
`number-rows-repeated` / `number-columns-repeated` are expanded only where
they hold something, so the empty million rows LibreOffice writes at the end
of a sheet cost nothing, and a repeated non-empty cell beyond the limits is
refused (python-calamine expands it: a 1,000,000-row repeat of three cells took 379 MiB)."""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from lokflow.plan_import.file_guard import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEETS,
    Refused,
    open_zip,
    stream,
)

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class _Sheets:
    def __init__(self) -> None:
        self.sheets: dict[str, list[list[Any]]] = {}
        self.rows: list[list[Any]] = []
        self.row: list[Any] = []
        self.row_repeat = 1
        self.row_number = 0
        self.cell_repeat = 1
        self.cell_value: Any = None
        self.text: list[str] | None = None
        self.paragraphs: list[str] = []
        self.depth_in_cell = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{TABLE} table":
            if len(self.sheets) >= MAX_SHEETS:
                raise Refused("too_many_sheets", {"count": f"> {MAX_SHEETS}",
                                                  "limit": str(MAX_SHEETS)})
            self.rows, self.row_number = [], 0
            self.sheets[attributes.get(f"{TABLE} name", str(len(self.sheets) + 1))] = self.rows
        elif tag == f"{TABLE} table-row":
            self.row, self.row_repeat = [], _count(attributes.get(f"{TABLE} number-rows-repeated"))
        elif tag in (f"{TABLE} table-cell", f"{TABLE} covered-table-cell"):
            self.cell_repeat = _count(attributes.get(f"{TABLE} number-columns-repeated"))
            self.cell_value = _typed(attributes)
            self.paragraphs = []
        elif tag == f"{TEXT} p":
            self.text = []
        elif tag == f"{TEXT} s" and self.text is not None:
            self.text.append(" " * _count(attributes.get(f"{TEXT} c")))

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        if tag == f"{TEXT} p" and self.text is not None:
            self.paragraphs.append("".join(self.text))
            self.text = None
        elif tag in (f"{TABLE} table-cell", f"{TABLE} covered-table-cell"):
            self._cell()
        elif tag == f"{TABLE} table-row":
            self._row()

    def _cell(self) -> None:
        value = self.cell_value if self.cell_value is not None else (
            "\n".join(self.paragraphs) if self.paragraphs else None)
        if value is None or value == "":
            self.row.extend([None] * min(self.cell_repeat, MAX_COLUMNS + 1))
        else:
            if len(self.row) + self.cell_repeat > MAX_COLUMNS:
                raise Refused("too_large_sheet", {"rows": str(MAX_ROWS),
                                                  "columns": str(MAX_COLUMNS)})
            self.row.extend([value] * self.cell_repeat)
        del self.row[MAX_COLUMNS + 1:]

    def _row(self) -> None:
        cells = _trimmed(self.row)
        if not cells:
            self.row_number += self.row_repeat
            return
        if self.row_number + self.row_repeat > MAX_ROWS:
            raise Refused("too_large_sheet", {"rows": str(MAX_ROWS), "columns": str(MAX_COLUMNS)})
        self.rows.extend([[] for _ in range(self.row_number - len(self.rows))])
        self.rows.extend(list(cells) for _ in range(self.row_repeat))
        self.row_number += self.row_repeat


def _count(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 10**7))
    except ValueError:
        return 1


def _typed(attributes: dict[str, str]) -> Any:
    kind = attributes.get(f"{OFFICE} value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return float(attributes.get(f"{OFFICE} value", ""))
        except ValueError:
            return None
    if kind == "date":
        return attributes.get(f"{OFFICE} date-value", "")[:10] or None
    if kind == "boolean":
        return attributes.get(f"{OFFICE} boolean-value") == "true"
    return None


def _trimmed(cells: list[Any]) -> list[Any]:
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return cells[:end]


def read_ods(raw: bytes) -> dict[str, list[list[Any]]]:
    archive = open_zip(raw)
    if "content.xml" not in archive.namelist():
        raise Refused("not_workbook")
    sheets = _Sheets()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse
    parser.StartElementHandler = sheets.start
    parser.EndElementHandler = sheets.end
    parser.CharacterDataHandler = sheets.data
    try:
        for chunk in stream(archive, "content.xml"):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise Refused("damaged") from None
    return sheets.sheets


def _refuse(*_: object) -> None:
    raise Refused("bomb")
