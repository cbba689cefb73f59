"""The evaluation report of an evaluation year (issue 17, part two): both
parties' own assessments, per principle and overall, and their answers to
the plan's evaluation questions, side by side and never merged, with the
status per principle over the years covered. Compiled like the annual
report: data first, then HTML and a tagged PDF (the same Typst template)."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lokflow.agreement.meeting_cycle import plan_document
from lokflow.annual_report import typst_blocks as b
from lokflow.annual_report.pdf import compile_document
from lokflow.annual_report.typst_fonts import installed_fonts
from lokflow.domain.evaluations import covered_years, evaluation_years, is_evaluation_year
from lokflow.reporting.assessments import OVERALL, latest, targets
from lokflow.reporting.principle_progress import principle_progress
from lokflow.store import tables as t
from lokflow.texts.meetings import meeting_words
from lokflow.texts.renegotiation import renegotiation_words

PARTIES = ("municipality", "civil_society")


class NotAnEvaluationYear(ValueError):
    pass


def evaluation_data(session: Session, plan: t.Plan, year: int, as_of: datetime,
                    zone: ZoneInfo) -> dict[str, Any]:
    """What the report shows, as JSON-ready data."""
    document = plan_document(plan)
    if not is_evaluation_year(document, year):
        raise NotAnEvaluationYear(f"{year} is not an evaluation year of {plan.slug}; "
                                  f"they are {evaluation_years(document, year + 20)}")
    given = latest(session, plan.id, year, as_of)
    rows = []
    for target in targets(session, plan.id, year):
        cells = {}
        for party in PARTIES:
            row = given.get(party, {}).get(target.key)
            cells[party] = {"scale": row.scale, "text": row.text} if row else None
        rows.append({"key": target.key, "name": target.name, "cells": cells,
                     "question": target.key.startswith("fraga-")})
    first, last = covered_years(document, year)
    progress = [{"key": p.key, "total": p.total, "done": p.counts.get("done", 0)}
                for p in principle_progress(session, plan)]
    return {"plan": {"slug": plan.slug, "short_name": plan.short_name,
                     "organisation": document.organisation.name, "title": document.title,
                     "language": document.language.value},
            "year": year, "covers": [first, last], "as_of": as_of.astimezone(zone).isoformat(),
            "rows": rows, "progress": progress,
            "names": {p.id: p.name for p in document.principles}}


def _title(row: dict[str, Any], w: dict[str, str], number: int) -> str:
    if row["key"] == OVERALL:
        return w["overall"]
    return w["question"].format(n=number, text=row["name"]) if row["question"] else row["name"]


def _cell(cell: dict[str, Any] | None, w: dict[str, str]) -> str:
    if not cell or (cell["scale"] is None and not cell["text"]):
        return w["not_given"]
    scale = f"{cell['scale']}/4" if cell["scale"] is not None else ""
    return " – ".join(part for part in (scale, cell["text"] or "") if part)


def _lines(data: dict[str, Any], w: dict[str, str]) -> list[tuple[str, str, str]]:
    found, number = [], 0
    for row in data["rows"]:
        number += row["question"]
        found.append((_title(row, w, number), _cell(row["cells"]["municipality"], w),
                      _cell(row["cells"]["civil_society"], w)))
    return found


def evaluation_html(data: dict[str, Any], language: str) -> str:
    w = renegotiation_words(language)
    title = w["evaluation_title"].format(year=data["year"], plan=data["plan"]["short_name"])
    covers = w["evaluation_covers"].format(first=data["covers"][0], last=data["covers"][1])
    head = "".join(f'<th scope="col">{escape(text)}</th>'
                   for text in ("", w["municipality"], w["civil_society"]))
    body = "".join(f'<tr><th scope="row">{escape(a)}</th><td>{escape(m)}</td>'
                   f"<td>{escape(c)}</td></tr>" for a, m, c in _lines(data, w))
    progress = "".join(
        f"<tr><th scope=\"row\">{escape(data['names'].get(p['key'] or '', w['other']))}</th>"
        f"<td>{p['total']}</td><td>{p['done']}</td></tr>" for p in data["progress"])
    return (f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
            f"<p>{escape(w['evaluation_intro'].format(year=data['year']))}</p>"
            f"<p>{escape(covers)}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<h2>{escape(w['status_heading'])}</h2><table><thead><tr>"
            f"<th scope=\"col\">{escape(w['principle'])}</th><th scope=\"col\">"
            f"{escape(w['activities'])}</th><th scope=\"col\">{escape(w['done'])}</th></tr>"
            f"</thead><tbody>{progress}</tbody></table></main></body></html>")


def evaluation_pdf(data: dict[str, Any], language: str) -> bytes:
    w, mw, fonts = renegotiation_words(language), meeting_words(language), installed_fonts()
    title = w["evaluation_title"].format(year=data["year"], plan=data["plan"]["short_name"])
    table = b.table("assessments", [b.plain(""), b.plain(w["municipality"]),
                                    b.plain(w["civil_society"])],
                    [[b.plain(a), b.plain(m), b.plain(c)] for a, m, c in _lines(data, w)])
    progress = b.table("counts", [b.plain(w["principle"]), b.plain(w["activities"]),
                                  b.plain(w["done"])],
                       [[b.plain(data["names"].get(p["key"] or "", w["other"])),
                         b.plain(p["total"]), b.plain(p["done"])] for p in data["progress"]],
                       numeric=(1, 2))
    covers = w["evaluation_covers"].format(first=data["covers"][0], last=data["covers"][1])
    document = {
        "lang": language, "fonts": list(fonts.families), "title": title,
        "author": data["plan"]["organisation"], "description": data["plan"]["title"],
        "head": [data["plan"]["short_name"], f" · {title}"], "page": mw["page"], "of": mw["of"],
        "cover": {"organisation": data["plan"]["organisation"], "title": title,
                  "plan": data["plan"]["title"], "facts": [[mw["basis"], covers]],
                  "contents": mw["contents"],
                  "foot": w["evaluation_intro"].format(year=data["year"])},
        "chapters": [b.chapter(title, [b.para(w["evaluation_intro"].format(year=data["year"])),
                                       table]),
                     b.chapter(w["status_heading"], [progress], new_page=False)],
    }
    return compile_document(json.dumps(fonts.printable_tree(document), ensure_ascii=False),
                            data["as_of"])


