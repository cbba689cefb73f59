"""The four formats of the annual report, by name: what the CLI's `--format`,
the web downloads and the email attachment choose from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lokflow.annual_report.html import render_html
from lokflow.annual_report.markdown import render_markdown
from lokflow.annual_report.pdf import render_pdf
from lokflow.annual_report.xlsx import render_xlsx


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    render: Callable[[dict[str, Any], str, int | None], bytes]


def _text(render: Callable[[dict[str, Any], str, int | None], str]) -> Callable[
        [dict[str, Any], str, int | None], bytes]:
    return lambda snapshot, language, report_id: render(snapshot, language,
                                                        report_id).encode("utf-8")


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "application/pdf", "pdf", render_pdf),
    "html": Format("html", "text/html; charset=utf-8", "html", _text(render_html)),
    "md": Format("md", "text/markdown; charset=utf-8", "md", _text(render_markdown)),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "xlsx", render_xlsx),
}


def render(snapshot: dict[str, Any], format_name: str, language: str,
           report_id: int | None = None) -> bytes:
    """The report in one format; raises KeyError for an unknown format."""
    return FORMATS[format_name].render(snapshot, language, report_id)


def file_name(slug: str, year: int, format_name: str, language: str) -> str:
    """'arlig-uppfoljning-tierp-2024.pdf' / 'annual-follow-up-tierp-2024.pdf'."""
    stem = "arlig-uppfoljning" if language == "sv" else "annual-follow-up"
    return f"{stem}-{slug}-{year}.{FORMATS[format_name].suffix}"
