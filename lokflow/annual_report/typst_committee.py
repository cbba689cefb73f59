"""The PDF's chapters of the committee's part, built like their sections of
the HTML template (annual_report.html.j2): the proposed decision, the
coordinator's summary with highlights, and both parties' assessments side
by side. Snapshots without these parts get none of them."""

from __future__ import annotations

from typing import Any

from lokflow.annual_report import committee_words as c
from lokflow.annual_report import typst_blocks as b
from lokflow.texts.annual_report import words

Snapshot = dict[str, Any]


def decision_chapters(s: Snapshot, lang: str) -> list[b.Block]:
    """'Förslag till beslut' and 'Samordnarens sammanfattning', where written."""
    w, notes, found = words(lang), c.notes(s), []
    if c.has_decision(s):
        found.append(b.chapter(w["s_decision"], _paragraphs(notes["proposed_decision"])))
    if c.has_summary(s):
        blocks = _paragraphs(notes.get("summary"))
        if notes.get("highlights"):
            blocks += [b.heading(3, w["highlights"]),
                       b.bullets([b.plain(line) for line in notes["highlights"]], "milestones")]
        found.append(b.chapter(w["s_coordinator_summary"], blocks,
                               new_page=not c.has_decision(s)))
    return found


def _paragraphs(text: str | None) -> list[b.Block]:
    return [b.para(" ".join(lines)) for lines in c.paragraphs(text)]


def assessments_chapter(s: Snapshot, lang: str) -> list[b.Block]:
    """Both parties' own assessments, side by side, never merged."""
    if not c.has_assessments(s):
        return []
    w, year = words(lang), s["year"]
    blocks = [b.para(w["assessments_note"].format(year=year), "muted")]
    if not c.any_assessment(s):
        blocks.append(b.para(w["assessments_none"].format(year=year)))
        return [b.chapter(w["s_assessments"], blocks)]
    rows = [[b.plain(title), *(_cell(cell) for cell in cells)]
            for title, cells in c.assessment_rows(s, lang)]
    blocks += [b.para(w["scale_note"], "muted"),
               b.table("assessments", [b.plain(h) for h in c.assessment_heads(lang)], rows),
               b.bullets([b.plain(line) for line in c.given_lines(s, lang)], "milestones")]
    return [b.chapter(w["s_assessments"], blocks)]


def _cell(cell: c.Cell) -> b.Inline:
    found: b.Inline = [b.run(cell.scale, "b")] if cell.scale else []
    for line in cell.lines:
        if found:
            found.append(b.line_break())
        found.append(b.run(line))
    return found
