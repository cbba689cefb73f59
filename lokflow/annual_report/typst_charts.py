"""The summary's two charts for the PDF: the HTML's own SVG (charts.py), with
a caption and an alternative text that says in words what each bar shows,
for screen readers (PDF/UA-1 requires one for every figure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lokflow.annual_report import charts, presentation
from lokflow.annual_report import typst_blocks as b
from lokflow.annual_report.rules import STATUS_ORDER
from lokflow.texts.annual_report import status_label, words


def chart_blocks(snapshot: dict[str, Any], language: str) -> list[b.Block]:
    w = words(language)
    title, rows = presentation.group_rows(snapshot, language)
    trend = [(row["year"], row["counts"]) for row in snapshot["trend"]]
    return [
        b.chart(charts.stacked_bars(rows, title, language),
                describe(w["chart_bars"], title, rows, language), title),
        b.chart(charts.trend_columns(trend, w["trend"], language),
                describe(w["chart_columns"], w["trend"],
                         [(str(year), counts) for year, counts in trend], language),
                w["trend"]),
    ]


def describe(kind: str, title: str, rows: Sequence[tuple[str, dict[str, int]]],
             language: str) -> str:
    """'Stapeldiagram: Status per part. Kommunen – klar 8, pågår 8; totalt 16. …'"""
    w = words(language)
    lines = []
    for label, counts in rows:
        shown = ", ".join(f"{status_label(status, language)} {counts[status]}"
                          for status in STATUS_ORDER if counts.get(status))
        lines.append(w["chart_row"].format(label=label, counts=shown or w["chart_none"],
                                           total=sum(counts.values())))
    return kind.format(title=title, rows=" ".join(lines)).strip()
