"""The PDF for the committee: the report's HTML laid out by WeasyPrint.

Nothing is fetched while rendering (only `data:` URLs are allowed, and the
document has none), and the PDF's dates come from the snapshot's
`dcterms.created` metadata, not from the clock, so the same snapshot gives
the same bytes on the same machine and fonts.
"""

from __future__ import annotations

import logging
from typing import Any

from lokflow.annual_report.html import render_html

# WeasyPrint logs every CSS property it does not know at WARNING; the report's
# CSS is ours and tested, so only errors are worth a log line.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint takes about a second to import, and every CLI
    # command, web process and flow imports this module.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        pdf_identifier=False, uncompressed_pdf=False)
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(snapshot: dict[str, Any], language: str, report_id: int | None = None) -> bytes:
    return html_to_pdf(render_html(snapshot, language, report_id))
