"""The annual report as one self-contained HTML document with print CSS for
A4: the PDF is made from exactly this HTML. Jinja2 autoescapes every value,
so whatever an owner typed is shown as text, never run as markup."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from lokflow.annual_report import charts, committee_words, meetings_section, presentation
from lokflow.annual_report.rules import STATUS_ORDER
from lokflow.texts.annual_report import date_time, long_date, status_label, words
from lokflow.texts.meetings import meeting_words

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["w3c"] = w3c
    return env


def css_string(text: str) -> Markup:
    """A CSS string literal; nothing can close it early."""
    body = "".join(c if c.isalnum() or c in " .,:–-" else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{body}"')


def w3c(moment: str) -> str:
    """A W3C-DTF timestamp without fractions, as PDF metadata wants it."""
    return datetime.fromisoformat(moment).replace(microsecond=0).isoformat()


def chart_svgs(snapshot: dict[str, Any], language: str) -> dict[str, Markup]:
    w = words(language)
    title, rows = presentation.group_rows(snapshot, language)
    trend = [(row["year"], row["counts"]) for row in snapshot["trend"]]
    return {
        "groups": Markup(charts.stacked_bars(rows, title, language)),
        "trend": Markup(charts.trend_columns(trend, w["trend"], language)),
    }


def render_html(snapshot: dict[str, Any], language: str, report_id: int | None = None) -> str:
    """The whole document; the same snapshot gives the same bytes."""
    template = environment().get_template("annual_report.html.j2")
    return template.render(
        s=snapshot, lang=language, w=words(language), report_id=report_id,
        acts=presentation.by_key(snapshot), p=presentation, cw=committee_words,
        ms=meetings_section, mw=meeting_words(language),
        charts=chart_svgs(snapshot, language),
        day=lambda value: long_date(value, language),
        moment=lambda value: date_time(value, language),
        status=lambda value: status_label(value, language),
        party=lambda value: presentation.party_label(snapshot, value, language),
        statuses=STATUS_ORDER,
    )
