"""Reading the top of a reply: status words in Swedish and English, progress,
a new date with its reason, one line per named activity, and nothing from
the quoted email, greetings or signatures."""

from __future__ import annotations

from datetime import date

import pytest

from lokflow.domain.statuses import Status
from lokflow.inbound.reply_text import new_text, read_reply

LABELS = ["Kommunen 2.2", "Civilsamhället 2.2"]
S = Status


@pytest.mark.parametrize(("body", "expected"), [
    ("klar", [(None, S.DONE, None, None, None, None)]),
    ("Klart!", [(None, S.DONE, None, None, None, None)]),
    ("pågår 60 %", [(None, S.IN_PROGRESS, 60, None, None, None)]),
    ("Pågår, 60% – vi har bokat lokal", [(None, S.IN_PROGRESS, 60, None, None,
                                          "vi har bokat lokal")]),
    ("försenad, ny tid 2026-03-01 – väntar på beslut",
     [(None, S.DELAYED, None, date(2026, 3, 1), "väntar på beslut", None)]),
    ("Försenad. Nytt datum: 2026-03-01 eftersom budgeten dröjer",
     [(None, S.DELAYED, None, date(2026, 3, 1), "budgeten dröjer", None)]),
    ("ej påbörjad", [(None, S.NOT_STARTED, None, None, None, None)]),
    ("inte påbörjat ännu, saknar lokal", [(None, S.NOT_STARTED, None, None, None,
                                           "ännu, saknar lokal")]),
    ("pausad", [(None, S.PAUSED, None, None, None, None)]),
    ("Inställd", [(None, S.CANCELLED, None, None, None, None)]),
    ("done, 100 %", [(None, S.DONE, 100, None, None, None)]),
    ("in progress 30 percent", [(None, S.IN_PROGRESS, 30, None, None, None)]),
    ("Hej!\n\nKommunen 2.2: klar\nCivilsamhället 2.2: pågår 50 %\n\nMvh\nKim",
     [("Kommunen 2.2", S.DONE, None, None, None, None),
      ("Civilsamhället 2.2", S.IN_PROGRESS, 50, None, None, None)]),
    ("kommunen 2.2 klar", [("Kommunen 2.2", S.DONE, None, None, None, None)]),
    ("klarar oss bra", []),  # "klarar" is not "klar"
    ("Tack för påminnelsen", []),
])
def test_statements(body: str, expected: list[tuple[object, ...]]) -> None:
    read = read_reply(body, LABELS)
    assert [(s.label, s.status, s.progress, s.new_date, s.reason, s.comment)
            for s in read.statements] == expected


def test_only_the_new_text_counts() -> None:
    body = ("pågår\n\nDen 1 dec. 2026 kl. 07:30 skrev Tierps kommun <lok@tierp.se>:\n"
            "> Kommunen 2.2: klar\n")
    assert new_text(body) == ["pågår"]
    outlook = "klar\r\n\r\nFrån: Tierps kommun\r\nSkickat: den 1 december 2026\r\nklar\r\n"
    assert new_text(outlook) == ["klar"]
    assert new_text("klar\n-- \nKim Kultur\npågår") == ["klar"]
    assert new_text("> klar\npågår") == []


def test_lines_that_name_no_status_are_kept_for_the_answer() -> None:
    read = read_reply("Vi har inte hunnit\nKommunen 2.2: vet inte", LABELS)
    assert read.statements == []
    assert read.unread == ["Vi har inte hunnit", "Kommunen 2.2: vet inte"]
    assert read_reply("Hej!\nMvh Kim", LABELS).unread == []
