"""The pure parts of moving plans in and out: the canonical YAML (any text
survives it), workbook cells, the diff, column detection by header words,
owner matching, and Swedish problems with their places."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lokflow.domain.plan_document import PlanDocument
from lokflow.plan_import.columns import detect
from lokflow.plan_import.owners import OwnerMatcher, new_unit_id
from lokflow.plans.export_yaml import base_digest, export_yaml
from lokflow.plans.model_fields import kind_of
from lokflow.plans.plan_diff import diff_plans, summarise
from lokflow.plans.plan_files import parse_plan_text, read_plans
from lokflow.plans.plan_json import document_digest, plan_data
from lokflow.plans.workbook_cells import from_cell, to_cell
from lokflow.texts.import_refusals import REFUSALS
from lokflow.texts.plan_problems import PROBLEMS
from lokflow.texts.plan_workbook import LABELS, SHEETS
from tests.conftest import FIXTURES

MINIMAL = read_plans([FIXTURES / "minimal.yaml"])[0][0].document


def with_text(text: str) -> PlanDocument:
    data = MINIMAL.model_dump(mode="json")
    data["commitments"][0]["activities"][0]["text"] = text
    data["units"][0]["note"] = text
    return PlanDocument.model_validate(data)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(lambda s: s.strip() == s and s.strip()))
def test_any_text_survives_the_yaml_export(text: str) -> None:
    document = with_text(text)
    exported = export_yaml(document)
    again = parse_plan_text(Path("x.yaml"), exported)
    assert not isinstance(again, list), (text, again)
    assert plan_data(again.document) == plan_data(document)
    assert export_yaml(again.document) == exported


def test_the_export_names_its_base_and_reads_like_a_plan_file() -> None:
    text = export_yaml(MINIMAL)
    assert base_digest(text) == document_digest(MINIMAL)
    assert "owners: [kultur, foreningarna]\n" in text and 'timeline: "2024"\n' in text
    assert "language: sv" not in text  # defaults are left out


@pytest.mark.parametrize(("field", "value", "cell"), [
    ("owners", ["kultur", "foreningarna"], "kultur\nforeningarna"),
    ("partners", ["a, b", "c"], "a, b\nc"),
    ("partners", ["two\nlines"], '["two\\nlines"]'),
    ("timeline", "2024", "2024"),
])
def test_activity_cells_and_back(field: str, value: object, cell: object) -> None:
    from lokflow.domain.plan_document import Activity

    kind = kind_of(Activity, field)
    assert to_cell(kind, value) == cell
    assert from_cell(kind, cell) == value


def test_numbers_from_a_spreadsheet_read_as_the_field_wants() -> None:
    from lokflow.domain.plan_document import Period, Reminders

    assert from_cell(kind_of(Period, "start"), 2022.0) == 2022
    assert from_cell(kind_of(Reminders, "days_before"), "30, 7") == [30, 7]
    from lokflow.domain.plan_document import Activity

    assert from_cell(kind_of(Activity, "timeline"), 2024.0) == "2024"


def test_the_diff_names_item_and_field() -> None:
    data = MINIMAL.model_dump(mode="json")
    data["commitments"][0]["activities"][0]["timeline"] = "2025"
    data["commitments"][0]["activities"].pop(1)
    data["units"][0]["contacts"][0]["email"] = "ny@testby.example.org"
    changes = diff_plans(MINIMAL, PlanDocument.model_validate(data))
    assert [(c.kind, c.section, c.key, c.field) for c in changes] == [
        ("changed", "unit", "kultur", "contacts[0].email"),
        ("changed", "activity", "k-1.1", "timeline"),
        ("removed", "activity", "k-1.2", "")]
    summary = summarise(changes)
    assert len(summary.changed) == 2 and len(summary.removed) == 1


@pytest.mark.parametrize(("header", "roles"), [
    (["Nr", "Aktivitet", "Ansvarig", "Tidsplan"],
     {"number": 0, "text": 1, "owners": 2, "timeline": 3}),
    (["Aktivitet", "Ansvarig uppdragsbeställare (utförare)", "Tidplan", "Kommentar"],
     {"text": 0, "owners": 1, "timeline": 2, "note": 3}),
    (["Id", "Åtgärd", "Ansvar", "När", "Samverkanspart", "Kommentar tidsplan"],
     {"id": 0, "text": 1, "owners": 2, "timeline": 3, "partners": 4, "timeline_note": 5}),
    (["Åtagande", "Insats", "Vem", "Klart"],
     {"commitment": 0, "text": 1, "owners": 2, "timeline": 3}),
])
def test_columns_found_by_swedish_header_words(header: list[str], roles: dict[str, int]
                                               ) -> None:
    rows = [["Aktivitetsplan 2025"], header, ["1.1", "x", "y", "2025"]]
    found = detect(rows)  # type: ignore[arg-type]
    assert found.header_row == 1 and found.roles == roles


def test_a_mapping_overrides_detection() -> None:
    found = detect([["A", "B", "C"], ["x", "y", "z"]], {"B": "text", "C": "owners", "A": "ignore"})
    assert found.roles == {"text": 1, "owners": 2}


def test_owners_matched_by_name_part_and_similarity() -> None:
    matcher = OwnerMatcher(MINIMAL.units, {})
    assert matcher.match("Kultur- och fritidsförvaltningen").keys == ["kultur"]
    both = matcher.match("Kultur- och fritidsförvaltningen, Alla föreningar")
    assert both.keys == ["kultur", "foreningarna"] and not both.unknown
    near = matcher.match("Kultur och fritidsförvaltningen")
    assert near.keys == ["kultur"] and near.similar == [("Kultur och fritidsförvaltningen",
                                                         "kultur")]
    unknown = matcher.match("Socialtjänsten")
    assert unknown.keys == [] and unknown.unknown == ["Socialtjänsten"]
    assert new_unit_id("Nya rådet för äldre", {"nya-radet-for-aldre"}) == "nya-radet-for-aldre-2"


def test_problem_and_refusal_words_in_both_languages() -> None:
    for catalogue in (PROBLEMS, REFUSALS, SHEETS, LABELS):
        assert set(catalogue["sv"]) == set(catalogue["en"])
