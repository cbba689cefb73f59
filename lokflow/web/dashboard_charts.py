"""The dashboard's charts: statuses per party and per principle as the
annual report draws them (SVG written on the server, no JavaScript). The
numbers beside each chart are a table of links, so the chart needs no
interaction and says the same as the table."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from lokflow.annual_report.charts import stacked_bars
from lokflow.reporting.dashboard import Breakdown, PlanDashboard
from lokflow.texts.pages import PAGE_TEXTS


def bars(groups: Sequence[Breakdown], title: str, language: str) -> Markup:
    """One stacked bar per group (escaped inside: names are plan data)."""
    rows = [(group.name, group.counts) for group in groups]
    return Markup(stacked_bars(rows, title, language))


def dashboard_charts(found: PlanDashboard, language: str) -> dict[str, Markup]:
    words = PAGE_TEXTS[language]
    charts = {"party": bars(found.parties, words["dash_by_party"], language)}
    if found.principles:
        charts["principle"] = bars(found.principles, words["dash_by_principle"], language)
    return charts
