"""Tables and bullet lists of a Word document (python-docx, after the guard):
each table with the heading or paragraph above it as its name, and bullet
lists under commitment headings as a table of (heading, item)."""

from __future__ import annotations

import io
from typing import Any

from lokflow.plan_import.file_guard import MAX_COLUMNS, MAX_ROWS, MAX_SHEETS, Refused
from lokflow.plan_import.tables import Table
from lokflow.texts.import_words import HEADER_WORDS

# A bullet list's two columns, headed by the words column detection knows.
LIST_HEADER = (HEADER_WORDS["commitment"][0], HEADER_WORDS["text"][0])


def read_docx(raw: bytes) -> list[Table]:
    import docx
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # python-docx raises many kinds on a damaged file
        raise Refused("damaged") from None
    tables: list[Table] = []
    heading, above = "", ""
    bullets: list[list[Any]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if _is_bullet(block) and text:
                bullets.append([heading or above, text])
            elif text:
                above = text
                if _is_heading(block):
                    heading = text
        elif isinstance(block, WordTable):
            tables.append(Table("table", len(tables) + 1, heading or above, _cells(block)))
            if len(tables) > MAX_SHEETS:
                raise Refused("too_many_sheets", {"count": f"> {MAX_SHEETS}",
                                                  "limit": str(MAX_SHEETS)})
    if bullets:
        tables.append(Table("list", len(tables) + 1, "", [list(LIST_HEADER), *bullets]))
    return tables


def _is_heading(paragraph: Any) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.lower().startswith(("heading", "rubrik", "title"))


def _is_bullet(paragraph: Any) -> bool:
    name = ((paragraph.style.name if paragraph.style is not None else "") or "").lower()
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return numbered or "list" in name or "lista" in name


def _cells(table: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for row in table.rows:
        if len(rows) >= MAX_ROWS:
            raise Refused("too_large_sheet", {"rows": str(MAX_ROWS), "columns": str(MAX_COLUMNS)})
        cells = [cell.text.strip() for cell in row.cells[:MAX_COLUMNS + 1]]
        if len(cells) > MAX_COLUMNS:
            raise Refused("too_large_sheet", {"rows": str(MAX_ROWS), "columns": str(MAX_COLUMNS)})
        rows.append(list(cells))
    return rows

