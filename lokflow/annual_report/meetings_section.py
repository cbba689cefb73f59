"""The annual report's section on the year's dialogue meetings and decisions
(issue 17, part two): read from the meetings the coordinator recorded, kept
in the snapshot, and drawn the same way in HTML, PDF and Markdown. A year
without recorded meetings has no section (left out, not shown empty)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.annual_report import typst_blocks as b
from lokflow.store import tables as t
from lokflow.texts.dates import long_date
from lokflow.texts.meetings import meeting_words

Snapshot = dict[str, Any]


def load_meetings(session: Session, plan_id: int, year: int, as_of: datetime
                  ) -> list[dict[str, Any]]:
    """The year's meetings held by `as_of` with minutes or decisions."""
    found = []
    for meeting in session.scalars(select(t.Meeting).where(
            t.Meeting.plan_id == plan_id, t.Meeting.held_on >= date(year, 1, 1),
            t.Meeting.held_on <= min(date(year, 12, 31), as_of.date()))
            .order_by(t.Meeting.held_on)):
        decisions = [d.text for d in session.scalars(select(t.MeetingDecision).where(
            t.MeetingDecision.meeting_id == meeting.id, t.MeetingDecision.created_at <= as_of)
            .order_by(t.MeetingDecision.id))]
        if meeting.minutes or decisions:
            found.append({"day": meeting.held_on.isoformat(), "minutes": meeting.minutes,
                          "decisions": decisions})
    return found


def has_meetings(s: Snapshot) -> bool:
    return bool(s.get("meetings"))


def title(lang: str) -> str:
    return meeting_words(lang)["meetings_heading"]


def meeting_title(meeting: dict[str, Any], lang: str) -> str:
    return meeting_words(lang)["meeting_line"].format(day=long_date(meeting["day"], lang))


def paragraphs(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def typst_chapter(s: Snapshot, lang: str) -> list[b.Block]:
    if not has_meetings(s):
        return []
    w, blocks = meeting_words(lang), []
    for meeting in s["meetings"]:
        blocks.append(b.heading(3, meeting_title(meeting, lang)))
        if meeting["minutes"]:
            blocks.append(b.heading(4, w["minutes"]))
            blocks += [b.para(part) for part in paragraphs(meeting["minutes"])]
        blocks.append(b.heading(4, w["decisions"]))
        blocks.append(b.bullets([b.plain(text) for text in meeting["decisions"]])
                      if meeting["decisions"] else b.para(w["no_decisions"]))
    return [b.chapter(title(lang), blocks)]


def markdown_lines(s: Snapshot, lang: str, md: Any) -> list[str]:
    if not has_meetings(s):
        return []
    w, lines = meeting_words(lang), [f"## {md(title(lang))}", ""]
    for meeting in s["meetings"]:
        lines += [f"### {md(meeting_title(meeting, lang))}", ""]
        if meeting["minutes"]:
            lines += [f"#### {md(w['minutes'])}", ""]
            for part in paragraphs(meeting["minutes"]):
                lines += [md(part), ""]
        lines += [f"#### {md(w['decisions'])}", ""]
        lines += [f"- {md(text)}" for text in meeting["decisions"]] or [md(w["no_decisions"])]
        lines.append("")
    return lines
