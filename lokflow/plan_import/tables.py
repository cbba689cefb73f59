"""Foreign files as named tables of cells: each sheet of an XLSX or ODS
workbook, a CSV file, each table of a Word document, and bullet lists under
headings in a Word document (as a table of heading and item).

XLSX is read by python-calamine (a 1,000-row sheet in ~9 ms; openpyxl's
read-only mode took ~100 ms: see `lokflow bench`, import_read), after the
file guard; ODS by our own streaming reader; Word by python-docx."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from lokflow.plan_import.file_guard import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEETS,
    Refused,
    check_docx,
    check_size,
    check_xlsx,
)
from lokflow.plan_import.ods_reader import read_ods

SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".docx", ".yaml", ".yml")


@dataclass
class Table:
    """`kind`: 'sheet' (a workbook sheet or CSV file), 'table' (Word) or 'list'
    (bullets under headings in Word). `name`: the sheet's name or the heading
    above a Word table; `index` counts from 1."""

    kind: str
    index: int
    name: str
    rows: list[list[Any]]


def suffix_of(filename: str) -> str:
    lowered = filename.lower()
    for suffix in SUFFIXES:
        if lowered.endswith(suffix):
            return suffix
    raise Refused("unknown_kind", {"name": filename[-80:]})


def read_workbook(raw: bytes, suffix: str) -> dict[str, list[list[Any]]]:
    """Sheet name -> rows of cells, for XLSX and ODS."""
    if suffix == ".ods":
        return read_ods(raw)
    check_xlsx(raw)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names[:MAX_SHEETS]}
    except (CalamineError, ValueError, OSError):
        raise Refused("damaged") from None


def read_tables(raw: bytes, filename: str) -> list[Table]:
    suffix = suffix_of(filename)
    check_size(len(raw))
    if suffix in (".xlsx", ".xlsm", ".ods"):
        return [Table("sheet", i, name, rows)
                for i, (name, rows) in enumerate(read_workbook(raw, suffix).items(), start=1)]
    if suffix == ".csv":
        return [Table("sheet", 1, filename.rsplit("/", 1)[-1], read_csv(raw))]
    if suffix == ".docx":
        from lokflow.plan_import.word_tables import read_docx

        check_docx(raw)
        return read_docx(raw)
    raise Refused("unknown_kind", {"name": filename[-80:]})


def read_csv(raw: bytes) -> list[list[Any]]:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes it;
    the separator is whichever of ; , and tab the first line uses most."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    separator = max((";", ",", "\t"), key=first.count)
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            if len(rows) >= MAX_ROWS or len(row) > MAX_COLUMNS:
                raise Refused("too_large_sheet", {"rows": str(MAX_ROWS),
                                                  "columns": str(MAX_COLUMNS)})
            rows.append(list(row))
    except csv.Error:
        raise Refused("damaged") from None
    return rows
