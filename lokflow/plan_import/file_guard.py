"""Refuse a hostile or oversized file before a parser sees it, quickly and in
little memory: a size limit, then for zip containers (XLSX, ODS, DOCX) the
number of entries, what they unpack to (declared and actually), the
compression ratio, the number of sheets and how far their cells reach (a
spreadsheet parser allocates the whole rectangle a sheet spans)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_FILE_BYTES = 5 * 2**20
MAX_ENTRIES = 500
MAX_UNPACKED = 40 * 2**20
MAX_RATIO = 100
MAX_SHEETS = 50
MAX_ROWS = 20_000
MAX_COLUMNS = 200
_CHUNK = 1 << 16
_CELL = re.compile(r"([A-Z]{1,4})?([0-9]{1,8})?")


@dataclass
class Refused(Exception):
    """Why the file is not read: a code for texts/pages_plan_editor (`import_refused_*`)."""

    code: str
    values: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.values}"


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise Refused("too_big", {"size": f"{size / 2**20:.1f}",
                                  "limit": str(MAX_FILE_BYTES // 2**20)})


def open_zip(raw: bytes) -> zipfile.ZipFile:
    """The container, its entries checked by their declared sizes."""
    check_size(len(raw))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError):
        raise Refused("not_zip") from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise Refused("too_many_parts", {"count": str(len(entries))})
    if sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise Refused("bomb")
    for entry in entries:
        if entry.file_size > 2**20 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise Refused("bomb")
    return archive


def stream(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """An entry's bytes in chunks, stopped as soon as it unpacks to more than it
    declared (a forged size) or than the total limit."""
    info = archive.getinfo(name)
    total = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                total += len(chunk)
                if total > info.file_size or total > MAX_UNPACKED:
                    raise Refused("bomb")
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise Refused("damaged") from None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _Reach:
    """How far the cells of one sheet reach, checked while parsing."""

    def __init__(self) -> None:
        self.row = 0
        self.rows = 0
        self.column = 0

    def cell(self, row: int, column: int) -> None:
        if row > MAX_ROWS or column > MAX_COLUMNS:
            raise Refused("too_large_sheet", {"rows": str(MAX_ROWS),
                                              "columns": str(MAX_COLUMNS)})


def _parse(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType) -> None:
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _no_entities
    try:
        for chunk in stream(archive, name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise Refused("damaged") from None


def _no_entities(*_: object) -> None:
    raise Refused("bomb")


def check_xlsx(raw: bytes) -> None:
    archive = open_zip(raw)
    sheets = [n for n in archive.namelist()
              if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    if not sheets or "xl/workbook.xml" not in archive.namelist():
        raise Refused("not_workbook")
    if len(sheets) > MAX_SHEETS:
        raise Refused("too_many_sheets", {"count": str(len(sheets)), "limit": str(MAX_SHEETS)})
    for name in sheets:
        _check_xlsx_sheet(archive, name)


def _check_xlsx_sheet(archive: zipfile.ZipFile, name: str) -> None:
    reach = _Reach()
    parser = expat.ParserCreate()
    row_now = [0]

    def start(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "row":
            row_now[0] = int(attributes.get("r", row_now[0] + 1) or 0)
            reach.cell(row_now[0], 1)
        elif local == "c":
            letters, digits = _CELL.fullmatch(attributes.get("r", "A1")).groups()  # type: ignore[union-attr]
            reach.cell(int(digits or row_now[0]), _column_number(letters or "A"))
        elif local == "dimension":
            for corner in attributes.get("ref", "A1").split(":"):
                match = _CELL.fullmatch(corner)
                if match and match.group(1) and match.group(2):
                    reach.cell(int(match.group(2)), _column_number(match.group(1)))

    parser.StartElementHandler = start
    _parse(archive, name, parser)


def check_docx(raw: bytes) -> None:
    archive = open_zip(raw)
    if "word/document.xml" not in archive.namelist():
        raise Refused("not_document")
    parser = expat.ParserCreate()
    _parse(archive, "word/document.xml", parser)  # entities refused, size verified
