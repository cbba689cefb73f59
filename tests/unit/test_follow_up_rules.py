"""The pure rules of the LÖK follow-up (issue 17): readable labels, which
party a unit speaks for, when a joint activity is done, the count per
principle, the assessment and committee inputs, when assessors are asked,
and open data that a spreadsheet cannot run."""

from __future__ import annotations

from datetime import date

import pytest

from lokflow.engine.assessment_requests import REMINDER, REQUEST, wanted
from lokflow.plans.activity_names import label_of
from lokflow.public.open_data import _cell
from lokflow.reporting.assessments import parse_entry
from lokflow.reporting.committee_notes import parse_notes
from lokflow.reporting.joint_confirmation import decide, waiting_state
from lokflow.reporting.parties import unit_party
from lokflow.reporting.principle_progress import Counted, count_by_principle
from lokflow.texts.follow_up import FOLLOW_UP_WORDS, SCALE_WORDS, joint_waiting_text

M, C = "municipality", "civil_society"


@pytest.mark.parametrize(("party", "number", "key", "language", "label"), [
    ("municipality", "1.1", "kommun-1.1", "sv", "Kommunen 1.1"),
    ("civil_society", "1.1", "civil-1.1", "sv", "Civilsamhället 1.1"),
    ("joint", " 3 ", "g-3", "sv", "Gemensamt 3"),
    ("municipality", "1.1", "kommun-1.1", "en", "Municipality 1.1"),
    ("municipality", None, "dialog-k1", "sv", "dialog-k1"),  # no number: the plan's id
    ("municipality", "  ", "dialog-k1", "sv", "dialog-k1"),
])
def test_readable_labels(party: str, number: str | None, key: str, language: str,
                         label: str) -> None:
    assert label_of(None, party, number, key, language) == label


@pytest.mark.parametrize(("unit", "party"), [
    ({"kind": "department"}, M), ({"kind": "municipality"}, M), ({}, M),
    ({"kind": "association"}, C), ({"kind": "council"}, C), ({"kind": "network"}, C),
    ({"kind": "collective"}, None), ({"kind": "external"}, None),
    ({"kind": "collective", "party": "civil_society"}, C),
    ({"kind": "council", "party": "municipality"}, M),
])
def test_the_party_a_unit_speaks_for(unit: dict[str, str], party: str | None) -> None:
    assert unit_party(unit) == party


@pytest.mark.parametrize(("said", "parties", "earlier", "stored", "done_by"), [
    ("done", {M}, {}, "in_progress", {M}),               # the first party: waits
    ("done", {C}, {M: "done"}, "done", {M, C}),          # the second: done
    ("done", {C}, {M: "in_progress"}, "in_progress", {C}),
    ("done", {M, C}, {}, "done", {M, C}),                # a contact of both sides' units
    ("delayed", {M}, {C: "done"}, "delayed", {C}),       # anything but done: as said
    ("done", set(), {}, "done", set()),                  # no party (CLI, API): as said
    ("done", {M}, {M: "done", C: "paused"}, "in_progress", {M}),
])
def test_a_joint_activity_is_done_when_both_say_so(
        said: str, parties: set[str], earlier: dict[str, str], stored: str,
        done_by: set[str]) -> None:
    decision = decide(said, frozenset(parties), earlier)
    assert decision.stored == stored and decision.done_by == done_by


def test_waiting_state_names_who_said_done_and_who_is_awaited() -> None:
    state = waiting_state("in_progress", "deadline", {M: "done"})
    assert state is not None and (state.done_by, state.waiting_for) == (M, C)
    assert waiting_state("done", "deadline", {M: "done", C: "done"}) is None
    assert waiting_state("in_progress", "deadline", {M: "in_progress"}) is None
    assert waiting_state("done", "deadline", {C: "done"}) is None  # settled by the coordinator
    assert joint_waiting_text(M, C, "sv") == "Klar enligt kommunen, väntar på civilsamhället"
    assert joint_waiting_text(C, M, "en") == (
        "Done according to civil society, waiting for the municipality")


def test_count_per_principle_and_party() -> None:
    rows = count_by_principle([
        Counted("dialog", M, "done"), Counted("dialog", C, None),
        Counted("dialog", "joint", "done"), Counted("oppen", M, "delayed"),
        Counted(None, C, "done"), Counted("gone", M, "paused"),
    ], [("dialog", "Dialog"), ("oppen", "Öppenhet")])
    assert [(r.key, r.total) for r in rows] == [("dialog", 3), ("oppen", 1), (None, 2)]
    dialog = rows[0]
    assert dialog.counts["done"] == 2 and dialog.counts["none"] == 1 and dialog.done_percent == 67
    assert set(dialog.by_party) == {M, C, "joint"} and dialog.by_party[C]["none"] == 1
    assert sum(rows[2].counts.values()) == 2 and rows[2].by_party[M]["paused"] == 1
    assert [r.key for r in count_by_principle([Counted("dialog", M, None)],
                                              [("dialog", "Dialog")])] == ["dialog"]


@pytest.mark.parametrize(("scale", "text", "value", "errors"), [
    ("3", " Bra. ", (3, "Bra."), {}),
    ("", "", (None, None), {}),
    ("0", "", (None, None), {"scale": "scale_invalid"}),
    ("5", "", (None, None), {"scale": "scale_invalid"}),
    ("²", "", (None, None), {"scale": "scale_invalid"}),
    ("4", "x" * 2001, (4, None), {"text": "text_too_long"}),
    ("1", "a\x00b", (1, None), {"text": "text_characters"}),
    ("2", "rad ett\r\nrad två", (2, "rad ett\nrad två"), {}),
])
def test_assessment_input(scale: str, text: str, value: tuple[int | None, str | None],
                          errors: dict[str, str]) -> None:
    entry, found = parse_entry("dialog", scale, text)
    assert (entry.scale, entry.text) == value and found == errors


def test_committee_notes_input() -> None:
    notes, errors = parse_notes({"summary": " Ett år av dialog. ", "highlights": "A\n\n B \n",
                                 "proposed_decision": "", "case_number": "KS 2024/12"})
    assert errors == {} and notes.summary == "Ett år av dialog." and notes.proposed_decision is None
    assert notes.highlight_lines == ["A", "B"]
    _, errors = parse_notes({"case_number": "KS\n2024", "summary": "x" * 2001})
    assert errors == {"case_number": "case_number_invalid", "summary": "text_too_long"}
    _, errors = parse_notes({"case_number": "K" * 101})
    assert errors == {"case_number": "case_number_invalid"}


OPENS, DEADLINE = date(2024, 10, 4), date(2024, 11, 15)


@pytest.mark.parametrize(("today", "assessed", "notices"), [
    (date(2024, 10, 3), False, []),                      # before the round
    (OPENS, False, [REQUEST]),
    (date(2024, 11, 7), False, [REQUEST]),               # the reminder starts a week before
    (date(2024, 11, 8), False, [REQUEST, REMINDER]),
    (DEADLINE, False, [REQUEST, REMINDER]),
    (date(2024, 11, 16), False, []),                     # after the deadline: nothing
    (date(2024, 11, 8), True, []),                       # the party has assessed
])
def test_when_assessors_are_asked(today: date, assessed: bool, notices: list[str]) -> None:
    assert wanted(OPENS, DEADLINE, today, assessed) == notices


def test_a_late_round_reminds_no_sooner_than_a_week_after_asking() -> None:
    late = date(2024, 11, 12)
    assert wanted(late, DEADLINE, late, False) == [REQUEST]
    assert wanted(late, DEADLINE, DEADLINE, False) == [REQUEST]


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@a", "'@a"),
    ("Bra", "Bra"), (None, ""), (3, "3"),
])
def test_open_data_cells_cannot_become_formulas(value: object, cell: str) -> None:
    assert _cell(value) == cell


def test_follow_up_words_in_both_languages() -> None:
    assert set(FOLLOW_UP_WORDS["sv"]) == set(FOLLOW_UP_WORDS["en"])
    assert set(SCALE_WORDS["sv"]) == set(SCALE_WORDS["en"]) == {1, 2, 3, 4}
