"""The annual report as the data the Typst template lays out: the same
snapshot, the same words (`lokflow.texts.annual_report`) and the same
sentences (`presentation`) as the HTML, in the same order, so the PDF says
exactly what the HTML says. A test compares the two texts.

Every string is made printable with the report's fonts at the end
(`typst_fonts`): the document then compiles under PDF/UA-1 whatever people
typed."""

from __future__ import annotations

from typing import Any

from lokflow.annual_report import committee_words, meetings_section
from lokflow.annual_report import presentation as p
from lokflow.annual_report import typst_blocks as b
from lokflow.annual_report.rules import STATUS_ORDER
from lokflow.annual_report.typst_chapters import CHAPTERS
from lokflow.annual_report.typst_charts import chart_blocks
from lokflow.annual_report.typst_committee import assessments_chapter, decision_chapters
from lokflow.annual_report.typst_fonts import FontSet
from lokflow.texts.annual_report import date_time, status_label, words

Snapshot = dict[str, Any]


def report_document(snapshot: Snapshot, language: str, report_id: int | None,
                    fonts: FontSet) -> dict[str, Any]:
    """Everything the template needs, as JSON-ready data."""
    w, plan = words(language), snapshot["plan"]
    title = w["title"].format(year=snapshot["year"])
    document = {
        "lang": language,
        "fonts": list(fonts.families),
        "title": f"{title} – {plan['short_name']}",
        "author": plan["organisation"],
        "description": plan["title"],
        "head": [plan["short_name"], f" · {title}"],
        "page": w["page"],
        "of": w["of"],
        "cover": _cover(snapshot, language, title),
        "chapters": [*decision_chapters(snapshot, language), _summary(snapshot, language),
                     *assessments_chapter(snapshot, language),
                     *meetings_section.typst_chapter(snapshot, language),
                     *(chapter(snapshot, language, report_id) for chapter in CHAPTERS)],
    }
    return fonts.printable_tree(document)


def _cover(s: Snapshot, lang: str, title: str) -> dict[str, Any]:
    w, plan = words(lang), s["plan"]
    case = [(w["case_number"], number)] if (number := committee_words.case_number(s)) else []
    facts = [*case, (w["plan"], plan["short_name"]), (w["period"], p.period_label(s, lang)),
             (w["year"], str(s["year"])), (w["follow_up_day"], p.follow_up_day(s, lang)),
             (w["compiled"], date_time(s["compiled_at"], lang)),
             (w["as_of"], date_time(s["as_of"], lang)), (w["source"], plan["source"])]
    if plan["coordinators"]:
        facts.append((w["coordinators"], ", ".join(plan["coordinators"])))
    return {"organisation": plan["organisation"], "title": title, "plan": plan["title"],
            "facts": [[label, value] for label, value in facts], "contents": w["contents"],
            "foot": w["cover_foot"]}


def _summary(s: Snapshot, lang: str) -> b.Block:
    w, sm, year = words(lang), s["summary"], s["year"]
    blocks = [b.key_figures([
        (str(sm["activities"]), w["kf_activities"], ""),
        (str(sm["finished_this_year"]), w["kf_finished"].format(year=year), "ok"),
        (str(sm["overdue"]), w["kf_overdue"], "warn"),
        (p.percent_text(sm["response_rate"]), w["kf_response"].format(year=year), ""),
        (str(sm["no_report"]), w["kf_no_report"].format(year=year), "")]),
        b.heading(3, w["milestones"]), _milestones(s, lang),
        b.heading(3, w["by_status"]), _by_party(s, lang)]
    if sm["by_principle"]:
        blocks.append(_by_principle(s, lang))
    blocks += chart_blocks(s, lang)
    blocks += [b.heading(3, w["response"]),
               b.para(w["response_note"].format(year=year), "muted"), _response(s, lang)]
    return b.chapter(w["s_summary"], blocks)


def _milestones(s: Snapshot, lang: str) -> b.Block:
    due = [m for m in s["milestones"] if m["due"]]
    if not due:
        return b.para(words(lang)["no_milestones"].format(year=s["year"]))
    items = []
    for m in due:
        item = b.plain(p.milestone_line(m, lang))
        if m["note"]:
            item += [b.run(" "), b.run(m["note"], "muted")]
        items.append(item)
    return b.bullets(items, "milestones")


def _counts(counts: dict[str, int]) -> list[b.Inline]:
    return [b.plain(counts[status] or "") for status in STATUS_ORDER]


def _by_party(s: Snapshot, lang: str) -> b.Block:
    w, sm = words(lang), s["summary"]
    head = [b.plain(w["party"]),
            *([b.run("", f"dot:{st}"), b.run(status_label(st, lang))] for st in STATUS_ORDER),
            b.plain(w["total"])]
    rows = [[b.plain(p.party_label(s, row["party"], lang)), *_counts(row["counts"]),
             b.plain(row["total"])] for row in sm["by_party"]]
    rows.append([b.plain(w["total"]),
                 *(b.plain(sm["by_status"][st]) for st in STATUS_ORDER),
                 b.plain(sm["activities"])])
    return b.table("counts", head, rows, numeric=tuple(range(1, len(head))), sum_last=True)


def _by_principle(s: Snapshot, lang: str) -> b.Block:
    w, names = words(lang), p.principle_names(s)
    head = [b.plain(w["principle"]), *(b.plain(status_label(st, lang)) for st in STATUS_ORDER),
            b.plain(w["total"])]
    rows = []
    for row in s["summary"]["by_principle"]:
        rows.append([b.plain(names.get(row["key"]) or w["other_principle"]),
                     *_counts(row["counts"]), b.plain(row["total"])])
        rows += [[[b.run(p.party_label(s, sub["party"], lang), "sub")],
                  *([b.run(sub["counts"][st] or "", "muted")] for st in STATUS_ORDER),
                  [b.run(sub["total"], "muted")]] for sub in row.get("by_party", [])]
    return b.table("counts", head, rows, numeric=tuple(range(1, len(head))))


def _response(s: Snapshot, lang: str) -> b.Block:
    w, sm = words(lang), s["summary"]
    head = [b.plain(w[key]) for key in ("unit", "owned", "expected", "reported", "rate")]
    rows = [[b.plain(row["name"]), b.plain(row["owned"]), b.plain(row["expected"]),
             b.plain(row["reported"]), b.plain(p.percent_text(row["rate"]))]
            for row in s["response"]]
    rows.append([b.plain(w["total"]), b.plain(sm["activities"]), b.plain(sm["expected"]),
                 b.plain(sm["reported"]), b.plain(p.percent_text(sm["response_rate"]))])
    return b.table("response", head, rows, numeric=(1, 2, 3, 4), sum_last=True)
