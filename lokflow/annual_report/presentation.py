"""Sentences and labels derived from a snapshot, shared by the HTML, Markdown
and XLSX renderers so that every format words a fact the same way. Returns
plain, unescaped text: each renderer escapes for its own format."""

from __future__ import annotations

from datetime import date
from typing import Any

from lokflow.plans.activity_names import party_name
from lokflow.texts import known_language
from lokflow.texts.annual_report import (
    date_time,
    long_date,
    period,
    status_label,
    words,
)
from lokflow.texts.inferred import INFERRED_TEXTS, inferred_note, marks_date

Snapshot = dict[str, Any]
Entry = dict[str, Any]


def party_label(snapshot: Snapshot, party: str, language: str) -> str:
    """A party's name as the plan named it when the snapshot was taken
    (`party_names`); the common word in snapshots taken before they kept it."""
    return party_name(snapshot.get("party_names"), party, language)


def by_key(snapshot: Snapshot) -> dict[str, Entry]:
    return {entry["key"]: entry for entry in snapshot["activities"]}


def principle_names(snapshot: Snapshot) -> dict[str | None, str]:
    names: dict[str | None, str] = {p["key"]: p["name"] for p in snapshot["plan"]["principles"]}
    return names


def section_title(section: dict[str, Any], snapshot: Snapshot, language: str) -> str:
    w = words(language)
    if section["kind"] == "principle":
        return principle_names(snapshot).get(section["key"], section["key"])
    if section["kind"] == "party":
        return w[f"party_heading_{section['key']}"]
    return w["other_principle"]


def activities_heading(snapshot: Snapshot, language: str) -> str:
    grouped_by_principle = any(s["kind"] != "party" for s in snapshot["sections"])
    return words(language)["s_activities_principle" if grouped_by_principle
                           else "s_activities_party"]


def commitment_title(commitment: dict[str, Any], language: str) -> str:
    label = words(language)["commitment"]
    number = (commitment.get("number") or "").strip()
    return f"{label} {number}".strip()


def percent_text(value: int | None) -> str:
    return "–" if value is None else f"{value} %"


def progress_text(entry: Entry) -> str:
    return "" if entry["progress"] is None else f"{entry['progress']} %"


def report_line(entry: Entry, language: str) -> str:
    w = words(language)
    if not entry["reported_on"]:
        # a commitment to follow up is judged in the joint assessment, not reported
        return w["followed_up_jointly"] if entry.get("schedule") == "follow_up" else ""
    line = w["reported_by"].format(day=long_date(entry["reported_on"], language),
                                   name=entry["reporter"])
    if entry["schedule"] in ("yearly", "rrule") and entry["occurrence"]:
        regarding = occurrence_text({"occurrence": entry["occurrence"]}, language)
        line += f" ({w['regarding'].format(occurrence=regarding)})"
    return line


def last_report(entry: Entry, language: str) -> str:
    return long_date(entry["last_report_on"], language) or words(language)["never"]


def moved_line(change: dict[str, Any], language: str) -> str:
    return words(language)["moved"].format(
        original=long_date(change["original"], language) or "–",
        proposed=long_date(change["proposed"], language),
        day=long_date(change["decided_on"], language), reason=change["reason"])


def change_text(entry: Entry, language: str) -> str:
    """'pågår → klar; framsteg 40 % → 100 %', 'ny aktivitet' or 'oförändrat'."""
    w = words(language)
    parts = []
    for change in entry.get("changes", []):
        if change["field"] == "new":
            return w["new_activity"]
        if change["field"] == "status":
            parts.append(f"{status_label(change['before'], language)} → "
                         f"{status_label(change['after'], language)}")
        else:
            before = "–" if change["before"] is None else f"{change['before']} %"
            after = "–" if change["after"] is None else f"{change['after']} %"
            parts.append(f"{w['progress'].lower()} {before} → {after}")
    return "; ".join(parts) or w["unchanged"]


def comparison_note(snapshot: Snapshot, language: str) -> str:
    comparison = snapshot["comparison"]
    w = words(language)
    day = date_time(comparison["as_of"], language) if comparison.get("as_of") else ""
    if comparison["kind"] == "report":
        return w["comparison_report"].format(year=comparison["year"],
                                             id=comparison["report_id"], day=day)
    return w["comparison_as_of"].format(year=comparison["year"], day=day)


def fulfilment_text(record: dict[str, Any], language: str) -> str:
    """'klar', 'saknas' or 'pågår (1 av 2 klara)' for one year."""
    label = status_label(record["verdict"], language)
    if record["total"] > 1 and record["verdict"] != "done":
        done = words(language)["of_done"].format(done=record["done"], total=record["total"])
        return f"{label} ({done})"
    return label


def fulfilment_line(row: dict[str, Any], language: str) -> str:
    """'Årligen — 2022 klar, 2023 klar, 2024 saknas'."""
    years = ", ".join(f"{r['year']} {fulfilment_text(r, language)}" for r in row["years"])
    return f"{row['timeline']} — {years}"


def occurrence_text(occurrence: dict[str, Any], language: str) -> str:
    key = occurrence["occurrence"]
    if key == "deadline":
        return words(language)["occurrence_deadline"]
    if key.startswith("checkin-"):
        return long_date(key[len("checkin-"):], language)
    return key if len(key) == 4 else long_date(key, language)


def due_text(occurrence: dict[str, Any], language: str) -> str:
    text = long_date(occurrence["due"], language)
    if occurrence["original_due"] != occurrence["due"]:
        original = words(language)["originally"].format(
            day=long_date(occurrence["original_due"], language))
        text += f" ({original})"
    return text


def escalation_lines(occurrence: dict[str, Any], language: str) -> list[str]:
    w = words(language)
    lines = []
    for step in occurrence["escalations"]:
        line = w["level"].format(level=step["level"], day=long_date(step["day"], language),
                                 names=", ".join(step["recipients"]))
        lines.append(line if step["sent"] else f"{line} {w['queued']}")
    return lines or [w["no_escalation"]]


def milestone_line(milestone: dict[str, Any], language: str) -> str:
    w = words(language)
    kind = milestone["kind"]
    head = w[f"{kind}_due" if milestone["due"] else f"{kind}_next"].format(year=milestone["year"])
    first_after = milestone["first_after"]
    since = milestone["base_year"] + (first_after or 0)  # the cadence runs from here
    if milestone["first"] and first_after:
        how = w["cadence_first"].format(first=first_after, base=milestone["base_year"],
                                        every=milestone["every"])
    elif milestone["every"] == 1:
        how = w["cadence_yearly"].format(base=since)
    else:
        how = w["cadence_every"].format(every=milestone["every"], base=since)
    return f"{head} ({how})."


def period_label(snapshot: Snapshot, language: str) -> str:
    plan = snapshot["plan"]
    return period(plan["period_start"], plan["period_end"], language)


def follow_up_day(snapshot: Snapshot, language: str) -> str:
    month, day = (int(part) for part in snapshot["plan"]["annual_date"].split("-"))
    return long_date(date(snapshot["year"], month, day), language)


def group_rows(snapshot: Snapshot, language: str) -> tuple[str, list[tuple[str, dict[str, int]]]]:
    """The chart's groups: principles when the plan has them, else parties."""
    summary = snapshot["summary"]
    w = words(language)
    if summary["by_principle"]:
        names = principle_names(snapshot)
        return w["by_principle"], [
            (names.get(row["key"], w["other_principle"]) if row["key"] else w["other_principle"],
             row["counts"]) for row in summary["by_principle"]]
    return w["by_party"], [(party_label(snapshot, row["party"], language), row["counts"])
                           for row in summary["by_party"]]


def timeline_text(entry: Entry, language: str) -> str:
    """The timeline as written, with the footnote's marker when the source does
    not give it (a snapshot from before the mark has no `inferred`)."""
    if marks_date(entry.get("inferred", ())):
        return f"{entry['timeline']} {INFERRED_TEXTS[known_language(language)]['marker']}"
    return str(entry["timeline"])


def inferred_footnote(entry: Entry, language: str) -> str | None:
    """'* Antaget (anges inte i handlingsplanen): tidplan.' or None."""
    note = inferred_note(entry.get("inferred", ()), language)
    if note is None:
        return None
    marker = INFERRED_TEXTS[known_language(language)]["marker"]
    return f"{marker} {note}" if marks_date(entry["inferred"]) else note
