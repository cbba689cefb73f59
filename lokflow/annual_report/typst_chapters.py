"""The PDF's chapters after the summary, each built like its section of the
HTML template (annual_report.html.j2): the same words, the same shortened
texts, in the same order."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from jinja2.filters import do_truncate

from lokflow.annual_report import committee_words as cw
from lokflow.annual_report import presentation as p
from lokflow.annual_report import typst_blocks as b
from lokflow.annual_report.html import environment
from lokflow.texts.annual_report import date_time, long_date, status_label, words

Snapshot = dict[str, Any]
Entry = dict[str, Any]


def shortened(text: str, length: int) -> str:
    """Jinja's `truncate`, as the HTML template shortens the same text."""
    return str(do_truncate(environment(), text, length))


def _activities(s: Snapshot, lang: str, report_id: int | None) -> b.Block:
    acts = p.by_key(s)
    blocks = [b.para(p.comparison_note(s, lang), "muted")]
    for section in s["sections"]:
        blocks.append(b.heading(3, p.section_title(section, s, lang), "group"))
        for c in section["commitments"]:
            blocks.append({"k": "commitment",
                           "heading": [b.run(p.commitment_title(c, lang)), b.run(" "),
                                       b.run(p.party_label(s, c["party"], lang), "party")],
                           "text": c["text"]})
            blocks += [_activity(s, acts[key], lang) for key in c["activities"]]
    return b.chapter(p.activities_heading(s, lang), blocks)


def _activity(s: Snapshot, e: Entry, lang: str) -> b.Block:
    w = words(lang)
    owners = b.plain(", ".join(e["owners"]))
    if e["partners"]:
        owners += [b.line_break(), b.run(f"{w['partners']}: {', '.join(e['partners'])}",
                                         "muted")]
    progress = None if e["progress"] is None else f"{e['progress']} %"
    notes = [b.labelled(w[field], e[field]) for field in ("comment", "obstacles") if e[field]]
    inferred = p.inferred_footnote(e, lang)
    notes += [b.plain(inferred)] if inferred else []
    return {"k": "activity", "key": cw.label(s, e, lang), "joint": cw.joint_line(e, lang),
            "status": e["status"] or "none",
            "label": status_label(e["status"], lang).capitalize(), "text": e["text"],
            "head": [w["responsible"], w["timeline"], w["progress"], w["last_report"]],
            "owners": owners, "timeline": p.timeline_text(e, lang), "progress": e["progress"],
            "progress_text": progress or "–",
            "report": p.report_line(e, lang) or w["never"], "notes": notes,
            "dates_label": f"{w['new_dates']}:",
            "dates": [p.moved_line(m, lang) for m in e["date_changes"]],
            "change": b.labelled(w["since_last"], p.change_text(e, lang))}


def _recurring(s: Snapshot, lang: str, report_id: int | None) -> b.Block:
    w, acts = words(lang), p.by_key(s)
    years = [row["year"] for row in s["trend"]]
    head = [b.plain(w["activity"]), b.plain(w["timeline"]), *(b.plain(y) for y in years)]
    rows = []
    for row in s["recurring"]:
        by_year = {r["year"]: r for r in row["years"]}
        rows.append([b.key_and_text(cw.label(s, acts[row["key"]], lang),
                                    shortened(acts[row["key"]]["text"], 70)),
                     b.plain(row["timeline"]),
                     *(_verdict(by_year.get(y), lang) for y in years)])
    return b.chapter(w["s_recurring"], [b.para(w["recurring_note"], "muted"),
                                         b.table("recurring", head, rows)])


def _verdict(record: dict[str, Any] | None, lang: str) -> b.Inline:
    if record is None:
        return []
    return [b.run(p.fulfilment_text(record, lang), f"tag:{record['verdict']}")]


def _overdue(s: Snapshot, lang: str, report_id: int | None) -> b.Block:
    w, acts = words(lang), p.by_key(s)
    if not s["overdue"]:
        return b.chapter(w["s_overdue"], [b.para(w["overdue_none"])])
    head = [b.plain(w[k]) for k in ("activity", "due", "days_late", "latest_status",
                                    "escalation")]
    rows = [[b.key_and_text(cw.label(s, acts[item["key"]], lang),
                            shortened(acts[item["key"]]["text"], 90)),
             _due(o, lang), b.plain(o["days"]),
             [b.run(status_label(o["status"], lang), f"tag:{o['status'] or 'none'}")],
             b.joined(p.escalation_lines(o, lang))]
            for item in s["overdue"] for o in item["occurrences"]]
    return b.chapter(w["s_overdue"], [b.table("overdue", head, rows, numeric=(2,))])


def _due(o: dict[str, Any], lang: str) -> b.Inline:
    w = words(lang)
    cell = b.plain(long_date(o["due"], lang))
    if o["original_due"] != o["due"]:
        cell += [b.line_break(), b.run(w["originally"].format(
            day=long_date(o["original_due"], lang)), "muted")]
    if o["occurrence"] != "deadline":
        cell += [b.line_break(),
                 b.run(f"{w['occurrence']} {p.occurrence_text(o, lang)}", "muted")]
    return cell


def _no_report(s: Snapshot, lang: str, report_id: int | None) -> b.Block:
    w, acts, year = words(lang), p.by_key(s), s["year"]
    title = w["s_no_report"].format(year=year)
    if not s["no_report"]:
        return b.chapter(title, [b.para(w["no_report_none"].format(year=year))],
                         new_page=False)
    head = [b.plain(w[k]) for k in ("activity", "responsible", "timeline", "last_report")]
    rows = [[b.key_and_text(cw.label(s, acts[key], lang), shortened(acts[key]["text"], 110)),
             b.plain(", ".join(acts[key]["owners"])), b.plain(acts[key]["timeline"]),
             b.plain(p.last_report(acts[key], lang))] for key in s["no_report"]]
    return b.chapter(title, [b.para(w["no_report_note"].format(year=year), "muted"),
                             b.table("no-report", head, rows)], new_page=False)


def _ahead(s: Snapshot, lang: str, report_id: int | None) -> b.Block:
    w, ahead = words(lang), s["ahead"]
    day = partial(long_date, language=lang)
    items: list[b.Inline] = []
    if ahead.get("period_ends"):
        items.append([b.run(w["period_ends"].format(year=ahead["period_ends"]), "b")])
    if ahead["next_follow_up"]:
        items.append(b.labelled(w["next_follow_up"], day(ahead["next_follow_up"])))
    items += [b.plain(p.milestone_line(m, lang)) for m in s["milestones"] if not m["due"]]
    if ahead["dialogue"]:
        items.append(b.labelled(w["dialogue"], ", ".join(day(d) for d in ahead["dialogue"])))
    elif ahead.get("dialogue_per_year"):
        items.append(b.labelled(w["dialogue"], w["dialogue_per_year"].format(
            n=ahead["dialogue_per_year"])))
    blocks = [b.bullets(items, "milestones")] if items else []
    blocks.append(b.heading(3, w["deadlines_ahead"].format(start=day(ahead["from"]),
                                                          end=day(ahead["to"]))))
    blocks.append(_deadlines(s, lang) if ahead["deadlines"] else b.para(w["no_deadlines"]))
    return b.chapter(w["s_ahead"], blocks)


def _deadlines(s: Snapshot, lang: str) -> b.Block:
    w, acts = words(lang), p.by_key(s)
    head = [b.plain(w[k]) for k in ("due", "activity", "responsible", "latest_status")]
    rows = []
    for d in s["ahead"]["deadlines"]:
        due = b.plain(long_date(d["due"], lang))
        if d["original_due"] != d["due"]:
            due += [b.line_break(), b.run(w["originally"].format(
                day=long_date(d["original_due"], lang)), "muted")]
        status = [b.run(status_label(d["status"], lang), f"tag:{d['status']}")] \
            if d["status"] else []
        rows.append([due, [b.run(cw.label(s, acts[d["key"]], lang), "id"), b.run(" "),
                           b.run(shortened(acts[d["key"]]["text"], 90), "muted")],
                     b.plain(", ".join(acts[d["key"]]["owners"])), status])
    return b.table("ahead", head, rows)


def _about(s: Snapshot, lang: str, report_id: int | None) -> b.Block:
    w = words(lang)
    blocks = [b.para(w["about"].format(as_of=date_time(s["as_of"], lang), year=s["year"],
                                       id=report_id if report_id is not None else "–"))]
    if s["plan"]["annual_note"]:
        blocks.append(b.para(s["plan"]["annual_note"], "muted"))
    return b.chapter(w["s_about"], blocks, new_page=False, style="about")


CHAPTERS: tuple[Callable[[Snapshot, str, int | None], b.Block], ...] = (
    _activities, _recurring, _overdue, _no_report, _ahead, _about)
