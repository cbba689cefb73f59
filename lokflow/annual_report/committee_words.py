"""Sentences of the committee's part of the annual report, shared by the
HTML, PDF, Markdown and XLSX like `presentation`: readable activity labels,
a joint activity waiting for the other party, the coordinator's notes and
both parties' assessments side by side. Plain, unescaped text: each
renderer escapes for its own format. Snapshots stored before these parts
existed have none of them, and render as they did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lokflow.annual_report.presentation import party_label, principle_names
from lokflow.plans.activity_names import label_of
from lokflow.texts.annual_report import long_date, words
from lokflow.texts.follow_up import joint_waiting_text, overall_title, scale_text

Snapshot = dict[str, Any]
Entry = dict[str, Any]
PARTIES = ("municipality", "civil_society")


def label(s: Snapshot, entry: Entry, language: str) -> str:
    """'Kommunen 1.1', in the plan's own name of the party if the snapshot
    keeps one (the id where the plan gives no number)."""
    return label_of(s.get("party_names"), entry["party"], entry.get("number"), entry["key"],
                    language)


def joint_line(entry: Entry, language: str) -> str | None:
    waiting = entry.get("joint_waiting")
    if not waiting:
        return None
    return joint_waiting_text(waiting["done_by"], waiting["waiting_for"], language) + "."


def paragraphs(text: str | None) -> list[list[str]]:
    """Text split into paragraphs (at blank lines), each a list of lines."""
    found, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            found.append(current)
            current = []
    return [*found, current] if current else found


def notes(s: Snapshot) -> dict[str, Any]:
    return s.get("committee") or {}


def case_number(s: Snapshot) -> str | None:
    return notes(s).get("case_number")


def has_decision(s: Snapshot) -> bool:
    return bool(notes(s).get("proposed_decision"))


def has_summary(s: Snapshot) -> bool:
    return bool(notes(s).get("summary") or notes(s).get("highlights"))


def has_assessments(s: Snapshot) -> bool:
    """Whether the snapshot knows about assessments (newer snapshots always do)."""
    return "assessments" in s


def any_assessment(s: Snapshot) -> bool:
    parties = s["assessments"]["parties"]
    return any(parties[p]["targets"] for p in PARTIES)


@dataclass(frozen=True)
class Cell:
    """One party's assessment of one target: the scale step and the lines of text."""

    scale: str
    lines: list[str]


def assessment_rows(s: Snapshot, language: str) -> list[tuple[str, list[Cell]]]:
    """(target's title, [the municipality's cell, civil society's cell]) per target."""
    names = principle_names(s)
    parties = s["assessments"]["parties"]
    rows = []
    for key in s["assessments"]["targets"]:
        title = overall_title(language) if key == "" else names.get(key, key)
        rows.append((title or key, [_cell(parties[p]["targets"].get(key), language)
                                    for p in PARTIES]))
    return rows


def _cell(given: dict[str, Any] | None, language: str) -> Cell:
    if not given:
        return Cell("", [words(language)["assessment_none"]])
    scale = scale_text(given["scale"], language) if given.get("scale") else ""
    return Cell(scale, [line for p in paragraphs(given.get("text")) for line in p])


def assessment_heads(language: str) -> list[str]:
    w = words(language)
    return [w["assessment_target"], w["assessment_municipality"],
            w["assessment_civil_society"]]


def given_lines(s: Snapshot, language: str) -> list[str]:
    """Who gave each party's assessment and when, or that it is missing."""
    w, parties = words(language), s["assessments"]["parties"]
    lines = []
    for party in PARTIES:
        mine = parties[party]
        name = party_label(s, party, language)
        if mine["given_on"]:
            lines.append(w["assessment_given"].format(
                party=name, day=long_date(mine["given_on"], language), name=mine["given_by"]))
        else:
            lines.append(w["assessment_missing"].format(party=name, year=s["year"]))
    return lines
