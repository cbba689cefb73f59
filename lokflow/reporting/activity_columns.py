"""The columns of the coordinator's activity table, defined once: the page
shows them and the CSV and XLSX exports write them, in the same order with
the same headings and the same words."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from lokflow.domain.statuses import Status
from lokflow.plans.activity_names import label_of, party_name
from lokflow.reporting.activity_lines import ActivityLine
from lokflow.reporting.table_export import Cell, Table
from lokflow.texts.pages import PAGE_TEXTS

# The party is part of the activity's label ("Kommunen 1.1"); that column sorts
# by party, then number.
COLUMNS = ("plan", "activity", "text", "owners", "status", "reported", "next_due",
           "overdue_since", "escalation", "pending")
SORT_OF = {"plan": "plan", "activity": "number", "text": "text", "owners": "owner",
           "status": "status", "next_due": "due", "overdue_since": "overdue",
           "escalation": "escalation"}


def columns(with_plan: bool) -> tuple[str, ...]:
    return COLUMNS if with_plan else COLUMNS[1:]


def heading(column: str, language: str) -> str:
    return PAGE_TEXTS[language][f"tcol_{column}"]


def activity_label(line: ActivityLine, language: str) -> str:
    """'Kommunen 1.1': the number with its party, as the source plans write it
    (in the plan's own name of the party if it gives one)."""
    return label_of(line.party_names, line.party, line.number, line.key,
                    language)


def party_text(line: ActivityLine, language: str) -> str:
    """The line's party, as its plan names it."""
    return party_name(line.party_names, line.party, language)


def status_text(line: ActivityLine, language: str) -> str:
    if line.status is None:
        return PAGE_TEXTS[language]["status_none"]
    label = Status(line.status).label(language)
    return f"{label} ({line.progress} %)" if line.progress is not None else label


def cell(line: ActivityLine, column: str, language: str,
         plan_name: Callable[[int], str], zone: ZoneInfo) -> Cell:
    """The value of one cell, as the export writes it."""
    words = PAGE_TEXTS[language]
    values: Mapping[str, Callable[[], Cell]] = {
        "plan": lambda: plan_name(line.plan_id),
        "activity": lambda: activity_label(line, language),
        "text": lambda: line.text,
        "party": lambda: party_text(line, language),
        "owners": lambda: ", ".join(name for _, name in line.owners),
        "status": lambda: status_text(line, language),
        "reported": lambda: line.reported_at.astimezone(zone).date()
        if line.reported_at else None,
        "next_due": lambda: line.next_due,
        "overdue_since": lambda: line.overdue_since,
        "escalation": lambda: words["level"].format(level=line.escalation)
        if line.escalation else words["not_escalated"] if line.overdue_since else None,
        "pending": lambda: line.pending_dates or None,
    }
    return values[column]()


def activity_table(lines: Sequence[ActivityLine], chosen: Sequence[str], language: str,
                   plan_name: Callable[[int], str], title: str, zone: ZoneInfo) -> Table:
    return Table(title, [heading(c, language) for c in chosen],
                 [[cell(line, c, language, plan_name, zone) for c in chosen]
                  for line in lines])
