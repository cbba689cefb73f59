"""The renderers read only the snapshot; whatever people typed stays text in
every format, and the same snapshot always gives the same bytes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from lokflow.annual_report.formats import file_name, render
from lokflow.annual_report.html import css_string, render_html
from lokflow.annual_report.markdown import md, render_markdown
from lokflow.annual_report.snapshot import assemble
from lokflow.annual_report.xlsx import render_xlsx
from lokflow.domain.timelines import Deadline, Ongoing, Yearly
from tests.support.report_builders import activity, at, document, history, moment, report

SCRIPT = "<script>alert(1)</script>"
HOSTILE_PRINCIPLE = '<img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    activities = [
        activity("k-1", Deadline(due=date(2024, 12, 31)), text=f"Bygg {SCRIPT} en *plattform*",
                 reports=(report("deadline", "in_progress", "2024-03-01", progress=40,
                                 comment=f"{SCRIPT} & [länk](javascript:x)",
                                 obstacles="=1+2", reporter="<b>Mallory</b>"),)),
        activity("k-2", Yearly(month=11, day=15, start=date(2022, 1, 1)), timeline="Årligen",
                 principle="evil", reports=(report("2024", "done", "2024-11-01"),)),
        activity("c-1", Ongoing(start=date(2022, 1, 1)), party="civil_society",
                 commitment="c1", owners=("foreningarna",), timeline="Löpande"),
    ]
    plan = history(activities, principles=(("dialog", "Dialog", None),
                                           ("evil", HOSTILE_PRINCIPLE, None)),
                   doc=document(short_name='LÖK "Testby" </style>'))
    return assemble(plan, moment(), at("2024-11-15T19:00"), None)


def test_html_shows_hostile_text_as_text(snapshot: dict[str, Any]) -> None:
    page = render_html(snapshot, "sv", 3)
    assert "<script" not in page and "<b>Mallory" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page  # in the tables and inside the SVG chart
    assert page.count("</style>") == 1  # the plan's name cannot close the style sheet
    assert "javascript:x" in page and 'href="javascript' not in page


def test_html_is_a_complete_a4_document(snapshot: dict[str, Any]) -> None:
    page = render_html(snapshot, "sv", 3)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "size: A4" in page and "<svg" in page and "http" not in page.split("<body>")[0]
    for heading in ("Årlig uppföljning 2024", "Sammanfattning", "Försenade aktiviteter",
                    "Återkommande och löpande aktiviteter", "Framåtblick", "Om underlaget"):
        assert heading in page
    assert 'name="dcterms.created" content="2024-11-15T20:00:00+01:00"' in page
    english = render_html(snapshot, "en", 3)
    assert "Annual follow-up 2024" in english and "Looking ahead" in english


def test_markdown_cannot_format_or_inject(snapshot: dict[str, Any]) -> None:
    text = render_markdown(snapshot, "sv", 3)
    assert text.startswith("# Årlig uppföljning 2024")
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<em>plattform</em>" not in rendered and 'href="javascript' not in rendered
    assert "*plattform*" in rendered


@pytest.mark.parametrize(("raw", "escaped"), [
    ("# rubrik", "\\# rubrik"), ("1. punkt", "1\\. punkt"), ("- lista", "\\- lista"),
    ("a | b", "a \\| b"), ("<b>", "&lt;b&gt;"), ("&amp;", "&amp;amp;"),
    ("rad ett\nrad två", "rad ett rad två"), ("kommun-1.1 (klar)", "kommun-1.1 (klar)"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md(raw) == escaped


def test_xlsx_keeps_formulas_as_text(snapshot: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(snapshot, "sv", 3)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(snapshot["activities"])
    assert [r[0] for r in rows[1:]] == ["Kommunen 1", "Kommunen 2", "Civilsamhället 1"]
    assert [r[1] for r in rows[1:]] == ["k-1", "k-2", "c-1"]  # the plan's ids beside
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    obstacle = next(c for c in cells if c.value == "=1+2")
    assert obstacle.data_type == "s"
    header = rows[0]
    assert header[:3] == ("Aktivitet", "Id", "Part") and "Status" in header
    assert rows[1][header.index("Status")] == "pågår" and rows[1][header.index("Framsteg %")] == 40
    assert header[-3:] == ("2022", "2023", "2024")


@pytest.mark.parametrize("name", ["html", "md", "xlsx"])  # the PDF: integration tests
def test_same_snapshot_same_bytes(snapshot: dict[str, Any], name: str) -> None:
    assert render(snapshot, name, "sv", 3) == render(snapshot, name, "sv", 3)


def test_css_string_cannot_break_out() -> None:
    quoted = str(css_string('Sida"; } body { x: "'))
    assert quoted.startswith('"') and quoted.endswith('"') and quoted.count('"') == 2
    assert "}" not in quoted


def test_file_names() -> None:
    assert file_name("tierp", 2024, "pdf", "sv") == "arlig-uppfoljning-tierp-2024.pdf"
    assert file_name("tierp", 2024, "xlsx", "en") == "annual-follow-up-tierp-2024.xlsx"


def test_inferred_values_have_a_marker_and_a_footnote_in_every_format() -> None:
    """An activity whose timeline the source does not give: '*' beside the
    timeline and the footnote under it, in HTML, Markdown and XLSX alike; the
    others carry neither."""
    guessed = replace(activity("k-9", Ongoing(start=date(2022, 1, 1)), timeline="Löpande"),
                      inferred=("timeline",))
    given = activity("k-8", Deadline(due=date(2024, 12, 31)), timeline="2024")
    snapshot = assemble(history([guessed, given]), moment(), at("2024-11-15T19:00"), None)
    note = "* Antaget (anges inte i handlingsplanen): tidplan."
    page = render_html(snapshot, "sv", 3)
    article = page.split('id="a-k-9"')[1].split("</article>")[0]
    assert "<td>Löpande *</td>" in article and note in article
    assert "Antaget" not in page.split('id="a-k-8"')[1].split("</article>")[0]
    text = render_markdown(snapshot, "sv", 3)
    assert "Löpande \\*" in text and md(note) in text
    english = render_html(snapshot, "en", 3)
    assert "* Inferred (not given in the action plan): timeline." in english
    sheet = load_workbook(io.BytesIO(render_xlsx(snapshot, "sv", 3))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Antaget (anges inte i handlingsplanen)")
    # The first column is the readable label (party and number).
    assert {r[0]: r[column] for r in rows[1:]} == {"Kommunen 9": "tidplan", "Kommunen 8": None}
