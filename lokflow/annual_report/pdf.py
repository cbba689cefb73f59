"""The PDF for the committee, laid out by Typst: a tagged PDF/UA-1 and
PDF/A-2a document (headings, tables with header cells, charts with
alternative text, the report's language and title) in a fraction of a second.

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
# PDF/UA-1 for screen readers; PDF/A-2a as well, so the committee's copy can
# go to the municipality's e-archive as it is (both are checked by Typst).
STANDARDS: list[typst.PDFStandard] = ["a-2a", "ua-1"]
_LOCK = threading.RLock()  # one compiler per process, used by one thread at a time


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
    """The PDF of one document's JSON, dated `created`."""
    with _LOCK:
        try:
            return typst_pdf(data, created)
        finally:
            forget_layouts()


def typst_pdf(data: str, created: str) -> bytes:
    """Typst alone (the benchmark's floor): compile, keep the layout cache."""
    with _LOCK:
        pdf = _compiler().compile(sys_inputs={"report": data}, format="pdf",
                                  pdf_standards=STANDARDS,
                                  timestamp=datetime.fromisoformat(created).replace(
                                      microsecond=0))  # PDF dates have whole seconds
    assert isinstance(pdf, bytes)
    return pdf


def forget_layouts() -> None:
    """Typst memoises layouts in one cache per process, and the typst package
    drops an entry only after ten compiles have not used it: a worker making
    report after report would hold the last ten (about 35 MB each for 100
    activities) and compile ever slower. Ten empty compiles age them out
    (about 3 ms each), so memory stays flat however many reports a process
    makes."""
    with _LOCK:
        for _ in range(AGE_LIMIT):
            typst.compile(b"", format="svg", font_paths=_no_fonts())


AGE_LIMIT = 10  # comemo::evict(10) in typst-py's compile


@cache
def _no_fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False)


def render_pdf(snapshot: dict[str, Any], language: str, report_id: int | None = None) -> bytes:
    return compile_document(document_data(snapshot, language, report_id),
                            snapshot["compiled_at"])
