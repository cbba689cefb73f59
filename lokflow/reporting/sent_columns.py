"""The columns of the sent log, for its page and its CSV/XLSX export."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from lokflow.reporting.sent_log import SentNotice
from lokflow.reporting.table_export import Cell, Table
from lokflow.texts.pages import PAGE_TEXTS
from lokflow.texts.vocabulary import PARTY_LABELS

COLUMNS = ("day", "kind", "recipient", "email", "activity", "due", "status", "sent_at")


def notice_activity(notice: SentNotice, language: str) -> str | None:
    if notice.activity_key is None:
        return None
    party = PARTY_LABELS[language].get(notice.activity_party or "", "")
    return f"{party} {notice.activity_number or notice.activity_key}".strip()


def kind_text(notice: SentNotice, language: str) -> str:
    words = PAGE_TEXTS[language]
    text = words.get(f"kind_{notice.kind}", notice.kind)
    if notice.kind == "escalation" and notice.level:
        text += " " + words["level"].format(level=notice.level)
    return text


def cells(notice: SentNotice, language: str, zone: ZoneInfo) -> list[Cell]:
    words = PAGE_TEXTS[language]
    sent = notice.sent_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if notice.sent_at else None
    return [notice.planned_day, kind_text(notice, language), notice.recipient_name,
            notice.recipient_email, notice_activity(notice, language), notice.due,
            words[f"msg_{notice.status}"], sent]


def sent_table(notices: Sequence[SentNotice], language: str, zone: ZoneInfo,
               title: str) -> Table:
    words = PAGE_TEXTS[language]
    return Table(title, [words[f"scol_{c}"] for c in COLUMNS],
                 [cells(n, language, zone) for n in notices])
