"""The annual report as Markdown, for pasting into a wiki or an email.

Everything owners or coordinators typed goes through `md()`: Markdown
punctuation is backslash-escaped and `<`, `>` and `&` become entities, so a
comment can neither format the document nor inject HTML once rendered."""

from __future__ import annotations

import re
from typing import Any

from lokflow.annual_report import committee_words as cw
from lokflow.annual_report import meetings_section as ms
from lokflow.annual_report import presentation as p
from lokflow.annual_report.rules import STATUS_ORDER
from lokflow.texts.annual_report import date_time, long_date, status_label, words

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\d+)([.)])|^([#>+=-])")


def md(text: object) -> str:
    """Text that Markdown shows literally, on one line: inline markup
    characters are backslash-escaped, `<` and `>` (and `&` where it could
    start an entity) become entities, and a leading `#`, `-`, `1.` cannot
    start a heading or a list."""
    value = " ".join(str(text).split())
    value = _ENTITY.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")
    value = _INLINE.sub(r"\\\1", value)
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", value)


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(snapshot: dict[str, Any], language: str,
                    report_id: int | None = None) -> str:
    lines: list[str] = []
    for part in (_cover, _decision, _summary, _assessments, _meetings, _activities, _recurring,
                 _overdue, _no_report, _ahead):
        lines += part(snapshot, language)
    w = words(language)
    lines += [f"## {md(w['s_about'])}", "",
              md(w["about"].format(as_of=date_time(snapshot["as_of"], language),
                                   year=snapshot["year"],
                                   id=report_id if report_id is not None else "–")), ""]
    return "\n".join(lines)


def _cover(s: dict[str, Any], lang: str) -> list[str]:
    w, plan = words(lang), s["plan"]
    case = [(w["case_number"], number)] if (number := cw.case_number(s)) else []
    facts = [
        *case, (w["organisation"], plan["organisation"]), (w["plan"], plan["title"]),
        (w["period"], p.period_label(s, lang)), (w["year"], s["year"]),
        (w["follow_up_day"], p.follow_up_day(s, lang)),
        (w["compiled"], date_time(s["compiled_at"], lang)),
        (w["as_of"], date_time(s["as_of"], lang)), (w["source"], plan["source"]),
        (w["coordinators"], ", ".join(plan["coordinators"])),
    ]
    title = w["title"].format(year=s["year"])
    return [f"# {md(title)} – {md(plan['short_name'])}", "",
            *_table(["", ""], [[md(k), md(v)] for k, v in facts])]


def _summary(s: dict[str, Any], lang: str) -> list[str]:
    w, sm, year = words(lang), s["summary"], s["year"]
    lines = [f"## {md(w['s_summary'])}", "",
             f"- **{sm['activities']}** {md(w['kf_activities'])}",
             f"- **{sm['finished_this_year']}** {md(w['kf_finished'].format(year=year))}",
             f"- **{sm['overdue']}** {md(w['kf_overdue'])}",
             f"- **{md(p.percent_text(sm['response_rate']))}** "
             f"{md(w['kf_response'].format(year=year))}",
             f"- **{sm['no_report']}** {md(w['kf_no_report'].format(year=year))}", "",
             f"### {md(w['milestones'])}", ""]
    due = [m for m in s["milestones"] if m["due"]]
    lines += [f"- {md(p.milestone_line(m, lang))}" for m in due] or [
        md(w["no_milestones"].format(year=year))]
    head = [md(w["party"]), *(md(status_label(x, lang)) for x in STATUS_ORDER), md(w["total"])]
    rows = [[md(p.party_label(s, r["party"], lang)), *(str(r["counts"][x]) for x in STATUS_ORDER),
             str(r["total"])] for r in sm["by_party"]]
    rows.append([f"**{md(w['total'])}**", *(str(sm["by_status"][x]) for x in STATUS_ORDER),
                 str(sm["activities"])])
    lines += ["", f"### {md(w['by_status'])}", "", *_table(head, rows)]
    if sm["by_principle"]:
        names = p.principle_names(s)
        rows = []
        for r in sm["by_principle"]:
            rows.append([md(names.get(r["key"]) or w["other_principle"]),
                         *(str(r["counts"][x]) for x in STATUS_ORDER), str(r["total"])])
            rows += [[f"– {md(p.party_label(s, sub['party'], lang))}",
                      *(str(sub["counts"][x]) for x in STATUS_ORDER), str(sub["total"])]
                     for sub in r.get("by_party", [])]
        lines += [f"### {md(w['by_principle'])}", "", *_table([md(w["principle"]), *head[1:]],
                                                                rows)]
    rows = [[md(r["name"]), str(r["owned"]), str(r["expected"]), str(r["reported"]),
             md(p.percent_text(r["rate"]))] for r in s["response"]]
    lines += [f"### {md(w['response'])}", "", md(w["response_note"].format(year=year)), "",
              *_table([md(w[k]) for k in ("unit", "owned", "expected", "reported", "rate")],
                      rows)]
    return lines


def _activities(s: dict[str, Any], lang: str) -> list[str]:
    w, acts = words(lang), p.by_key(s)
    lines = [f"## {md(p.activities_heading(s, lang))}", "", f"_{md(p.comparison_note(s, lang))}_",
             ""]
    for section in s["sections"]:
        lines += [f"### {md(p.section_title(section, s, lang))}", ""]
        for c in section["commitments"]:
            party = p.party_label(s, c["party"], lang)
            lines += [f"#### {md(p.commitment_title(c, lang))} ({md(party)})", "",
                      md(c["text"]), ""]
            for key in c["activities"]:
                lines += _activity(s, acts[key], w, lang)
            lines.append("")
    return lines


def _activity(s: dict[str, Any], e: dict[str, Any], w: dict[str, str],
              lang: str) -> list[str]:
    facts = [f"{md(w['status'])}: **{md(status_label(e['status'], lang))}**"]
    if e["progress"] is not None:
        facts.append(f"{md(w['progress'])}: {e['progress']} %")
    facts.append(f"{md(w['last_report'])}: {md(p.report_line(e, lang) or w['never'])}")
    lines = [f"- **{md(cw.label(s, e, lang))}** — {md(e['text'])}", "  - " + " · ".join(facts),
             f"  - {md(w['responsible'])}: {md(', '.join(e['owners']))} · "
             f"{md(w['timeline'])}: {md(p.timeline_text(e, lang))}"]
    if (joint := cw.joint_line(e, lang)):
        lines.insert(1, f"  - **{md(joint)}**")
    if e["partners"]:
        lines.append(f"  - {md(w['partners'])}: {md(', '.join(e['partners']))}")
    for field in ("comment", "obstacles"):
        if e[field]:
            lines.append(f"  - {md(w[field])}: {md(e[field])}")
    inferred = p.inferred_footnote(e, lang)
    if inferred:
        lines.append(f"  - {md(inferred)}")
    lines += [f"  - {md(w['new_dates'])}: {md(p.moved_line(m, lang))}" for m in e["date_changes"]]
    lines.append(f"  - {md(w['since_last'])}: {md(p.change_text(e, lang))}")
    return lines


def _recurring(s: dict[str, Any], lang: str) -> list[str]:
    w = words(lang)
    return [f"## {md(w['s_recurring'])}", "", f"_{md(w['recurring_note'])}_", "",
            *(f"- **{md(cw.label(s, p.by_key(s)[row['key']], lang))}**: "
              f"{md(p.fulfilment_line(row, lang))}" for row in s["recurring"]), ""]


def _overdue(s: dict[str, Any], lang: str) -> list[str]:
    w = words(lang)
    lines = [f"## {md(w['s_overdue'])}", ""]
    if not s["overdue"]:
        return [*lines, md(w["overdue_none"]), ""]
    acts = p.by_key(s)
    rows = [[f"**{md(cw.label(s, acts[item['key']], lang))}**", md(p.due_text(o, lang)),
             str(o["days"]),
             md(status_label(o["status"], lang)), "; ".join(md(x) for x in
                                                           p.escalation_lines(o, lang))]
            for item in s["overdue"] for o in item["occurrences"]]
    head = [md(w[k]) for k in ("activity", "due", "days_late", "latest_status", "escalation")]
    return lines + _table(head, rows)


def _no_report(s: dict[str, Any], lang: str) -> list[str]:
    w, acts, year = words(lang), p.by_key(s), s["year"]
    lines = [f"## {md(w['s_no_report'].format(year=year))}", ""]
    if not s["no_report"]:
        return [*lines, md(w["no_report_none"].format(year=year)), ""]
    rows = [[f"**{md(cw.label(s, acts[k], lang))}**", md(acts[k]["text"]),
             md(", ".join(acts[k]["owners"])),
             md(p.last_report(acts[k], lang))] for k in s["no_report"]]
    head = [md(w["activity"]), "", md(w["responsible"]), md(w["last_report"])]
    return lines + _table(head, rows)


def _ahead(s: dict[str, Any], lang: str) -> list[str]:
    w, acts, ahead = words(lang), p.by_key(s), s["ahead"]
    lines = [f"## {md(w['s_ahead'])}", ""]
    if ahead.get("period_ends"):
        lines.append(f"- {md(w['period_ends'].format(year=ahead['period_ends']))}")
    if ahead["next_follow_up"]:
        lines.append(f"- {md(w['next_follow_up'])}: {md(long_date(ahead['next_follow_up'], lang))}")
    lines += [f"- {md(p.milestone_line(m, lang))}" for m in s["milestones"] if not m["due"]]
    if ahead["dialogue"]:
        days = ", ".join(long_date(d, lang) for d in ahead["dialogue"])
        lines.append(f"- {md(w['dialogue'])}: {md(days)}")
    title = w["deadlines_ahead"].format(start=long_date(ahead["from"], lang),
                                        end=long_date(ahead["to"], lang))
    lines += ["", f"### {md(title)}", ""]
    if not ahead["deadlines"]:
        return [*lines, md(w["no_deadlines"]), ""]
    rows = [[md(p.due_text(d, lang)),
             f"**{md(cw.label(s, acts[d['key']], lang))}** {md(acts[d['key']]['text'])}",
             md(", ".join(acts[d["key"]]["owners"])),
             md(status_label(d["status"], lang)) if d["status"] else ""]
            for d in ahead["deadlines"]]
    head = [md(w[k]) for k in ("due", "activity", "responsible", "latest_status")]
    return lines + _table(head, rows)


def _decision(s: dict[str, Any], lang: str) -> list[str]:
    """The proposed decision and the coordinator's summary, where written."""
    w, notes, lines = words(lang), cw.notes(s), []
    if cw.has_decision(s):
        lines += [f"## {md(w['s_decision'])}", ""]
        lines += [line for para in cw.paragraphs(notes["proposed_decision"])
                  for line in (md(" ".join(para)), "")]
    if cw.has_summary(s):
        lines += [f"## {md(w['s_coordinator_summary'])}", ""]
        lines += [line for para in cw.paragraphs(notes.get("summary"))
                  for line in (md(" ".join(para)), "")]
        if notes.get("highlights"):
            lines += [f"### {md(w['highlights'])}", "",
                      *(f"- {md(line)}" for line in notes["highlights"]), ""]
    return lines


def _assessments(s: dict[str, Any], lang: str) -> list[str]:
    """Both parties' own assessments side by side, never merged."""
    if not cw.has_assessments(s):
        return []
    w, year = words(lang), s["year"]
    lines = [f"## {md(w['s_assessments'])}", "", md(w["assessments_note"].format(year=year)), ""]
    if not cw.any_assessment(s):
        return [*lines, md(w["assessments_none"].format(year=year)), ""]
    rows = [[md(title), *(_assessment_cell(cell) for cell in cells)]
            for title, cells in cw.assessment_rows(s, lang)]
    return [*lines, md(w["scale_note"]), "",
            *_table([md(h) for h in cw.assessment_heads(lang)], rows),
            *(f"- {md(line)}" for line in cw.given_lines(s, lang)), ""]


def _meetings(s: dict[str, Any], lang: str) -> list[str]:
    return ms.markdown_lines(s, lang, md)


def _assessment_cell(cell: cw.Cell) -> str:
    """The scale in bold, then the lines of text (a table cell is one line)."""
    parts = [f"**{md(cell.scale)}**"] if cell.scale else []
    return "<br>".join(parts + [md(line) for line in cell.lines])
