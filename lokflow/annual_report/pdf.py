"""The PDF for the committee, laid out by Typst: a tagged PDF/UA-1 document
(headings, tables with header cells, charts with alternative text, the
report's language and title) in about a tenth of a second.

The content is the HTML's (typst_document.py builds it from the same
snapshot and words) and reaches the template as JSON data, shown as text,
never run as markup. Nothing is fetched: the template reads no file and
only the report's fonts are loaded. The PDF's dates come from the
snapshot, not the clock, so the same snapshot gives the same bytes on a
machine with the same fonts.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import typst

from lokflow.annual_report.typst_document import report_document
from lokflow.annual_report.typst_fonts import installed_fonts

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = TEMPLATES / "annual_report.typ"
STANDARDS: list[typst.PDFStandard] = ["ua-1"]
_LOCK = threading.Lock()  # one compiler per process, used by one thread at a time


@cache
def _compiler() -> typst.Compiler:
    """Built once per process: loading fonts and parsing the template is most
    of a cold compile; later reports reuse both."""
    fonts = installed_fonts()
    book = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=list(fonts.folders))
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATES), font_paths=book)


def document_data(snapshot: dict[str, Any], language: str, report_id: int | None = None) -> str:
    """The JSON the template lays out."""
    document = report_document(snapshot, language, report_id, installed_fonts())
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def compile_document(data: str, created: str) -> bytes:
    """Typst alone: the PDF of one document's JSON, dated `created`."""
    with _LOCK:
        pdf = _compiler().compile(sys_inputs={"report": data}, format="pdf",
                                  pdf_standards=STANDARDS,
                                  timestamp=datetime.fromisoformat(created).replace(
                                      microsecond=0))  # PDF dates have whole seconds
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(snapshot: dict[str, Any], language: str, report_id: int | None = None) -> bytes:
    return compile_document(document_data(snapshot, language, report_id),
                            snapshot["compiled_at"])
