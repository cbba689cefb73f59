"""The columns of the sent log, for its page and its CSV/XLSX export."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from lokflow.plans.activity_names import OwnNames, label_of
from lokflow.reporting.sent_log import SentNotice
from lokflow.reporting.table_export import Cell, Table
from lokflow.texts.pages import PAGE_TEXTS

COLUMNS = ("day", "kind", "recipient", "email", "activity", "due", "status", "sent_at")


def notice_activity(notice: SentNotice, language: str,
                    party_names: OwnNames = None) -> str | None:
    if notice.activity_key is None:
        return None
    return label_of(party_names, notice.activity_party or "",
                    notice.activity_number, notice.activity_key, language)


def kind_text(notice: SentNotice, language: str) -> str:
    words = PAGE_TEXTS[language]
    text = words.get(f"kind_{notice.kind}", notice.kind)
    if notice.kind == "escalation" and notice.level:
        text += " " + words["level"].format(level=notice.level)
    return text


def cells(notice: SentNotice, language: str, zone: ZoneInfo,
          party_names: OwnNames = None) -> list[Cell]:
    words = PAGE_TEXTS[language]
    sent = notice.sent_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if notice.sent_at else None
    return [notice.planned_day, kind_text(notice, language), notice.recipient_name,
            notice.recipient_email, notice_activity(notice, language, party_names), notice.due,
            words[f"msg_{notice.status}"], sent]


def sent_table(notices: Sequence[SentNotice], language: str, zone: ZoneInfo,
               title: str, party_names: OwnNames = None) -> Table:
    words = PAGE_TEXTS[language]
    return Table(title, [words[f"scol_{c}"] for c in COLUMNS],
                 [cells(n, language, zone, party_names) for n in notices])
