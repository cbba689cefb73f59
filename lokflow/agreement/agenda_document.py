"""A dialogue meeting's agenda as a tagged PDF: the same Typst template,
fonts and standards (PDF/UA-1, PDF/A-2a) as the annual report, fed with the
agenda's data as JSON, so every text is shown as text and never run."""

from __future__ import annotations

import json
from typing import Any

from lokflow.agreement.agenda import SECTIONS, label
from lokflow.annual_report import typst_blocks as b
from lokflow.annual_report.pdf import compile_document
from lokflow.annual_report.typst_fonts import FontSet, installed_fonts
from lokflow.texts.dates import long_date
from lokflow.texts.meetings import meeting_words
from lokflow.texts.vocabulary import STATUS_LABELS

Agenda = dict[str, Any]


def agenda_pdf(agenda: Agenda, language: str) -> bytes:
    fonts = installed_fonts()
    data = json.dumps(agenda_document(agenda, language, fonts), ensure_ascii=False,
                      separators=(",", ":"))
    return compile_document(data, agenda["made_at"])


def agenda_document(agenda: Agenda, language: str, fonts: FontSet) -> dict[str, Any]:
    w, plan, meeting = meeting_words(language), agenda["plan"], agenda["meeting"]
    title = w["agenda_title"].format(day=long_date(meeting["day"], language))
    document = {
        "lang": language, "fonts": list(fonts.families),
        "title": f"{title} – {plan['short_name']}", "author": plan["organisation"],
        "description": w["agenda_subtitle"], "head": [plan["short_name"], f" · {title}"],
        "page": w["page"], "of": w["of"],
        "cover": {"organisation": plan["organisation"], "title": title,
                  "plan": w["agenda_subtitle"], "facts": cover_facts(agenda, language),
                  "contents": w["contents"], "foot": w["cover_foot"]},
        "chapters": [_standing(language), *(_section(agenda, key, language) for key in SECTIONS)],
    }
    return fonts.printable_tree(document)


def cover_facts(agenda: Agenda, language: str) -> list[list[str]]:
    w, meeting = meeting_words(language), agenda["meeting"]
    when = (f"{long_date(meeting['day'], language)} {meeting['starts'][11:16]}–"
            f"{meeting['ends'][11:16]}")
    if meeting.get("day_assumed"):
        when += f" {w['day_assumed']}"
    facts = [[w["plan"], agenda["plan"]["short_name"]], [w["when"], when]]
    if meeting.get("location"):
        facts.append([w["where"], meeting["location"]])
    basis = w["agenda_intro"].format(made=long_date(agenda["made_at"][:10], language),
                                     since=long_date(agenda["since"], language))
    facts.append([w["basis"], basis])
    return facts


def _standing(language: str) -> b.Block:
    w = meeting_words(language)
    return b.chapter(w["fixed_items"], [b.bullets([b.plain(w[f"fixed_{n}"]) for n in (1, 2, 3)])])


def _section(agenda: Agenda, key: str, language: str) -> b.Block:
    w, items = meeting_words(language), agenda[key]
    about = w[f"about_{key}"].format(since=long_date(agenda["since"], language))
    if not items:
        return b.chapter(w[f"section_{key}"], [b.para(about, "muted"), b.para(w["none"])],
                         new_page=False)
    head = [b.plain(w["col_activity"]), b.plain(w["col_owners"]), b.plain(w["col_detail"])]
    rows = [[_what(agenda, item, language), b.plain(", ".join(item.get("owners") or [])),
             b.plain(situation(item, language))] for item in items]
    return b.chapter(w[f"section_{key}"], [b.para(about, "muted"), b.table("agenda", head, rows)],
                     new_page=False)


def _what(agenda: Agenda, item: dict[str, Any], language: str) -> b.Inline:
    if item.get("key"):
        return b.key_and_text(label(agenda, item, language), (item.get("text") or "")[:160])
    return b.plain(meeting_words(language)["principle"].format(name=item.get("principle") or ""))


def situation(item: dict[str, Any], language: str) -> str:
    """One line on why the item is on the agenda."""
    w, parts = meeting_words(language), []
    if item.get("overdue_since"):
        parts.append(w["overdue_since"].format(day=long_date(item["overdue_since"], language)))
    if item.get("proposed"):
        parts.append(w["proposed"].format(day=long_date(item["proposed"], language)))
    if item.get("status"):
        status = STATUS_LABELS.get(language, STATUS_LABELS["sv"]).get(item["status"], "")
        parts.append(w["status_is"].format(status=status))
    if item.get("why") == "missing":
        parts.append(w["last_report"].format(day=long_date(item["reported_on"], language))
                     if item.get("reported_on") else w["never_reported"])
    if item.get("source"):
        parts.append(w["flagged_by"].format(name=item.get("by") or ""))
        if item.get("note"):
            parts.append(item["note"])
    return "; ".join(parts)


