"""Broken plan files: each gives its own message naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from lokflow.plans.plan_files import PlanFile, read_plan_file, read_plans
from tests.conftest import FIXTURES, PLANS

BROKEN = FIXTURES / "broken"


@pytest.mark.parametrize(
    ("name", "line", "field", "message"),
    [
        ("bad_yaml.yaml", 7, "", "not valid YAML"),
        (
            "unknown_unit.yaml",
            45,
            "commitments[0].activities[0].owners[0]",
            "unknown unit 'kulturen'",
        ),
        (
            "duplicate_activity.yaml",
            47,
            "commitments[0].activities[1].id",
            "duplicate activity id 'k-1.1'",
        ),
        (
            "bad_timeline.yaml",
            62,
            "commitments[1].activities[0].timeline",
            "cannot read the timeline 'Snart, när vi hinner'",
        ),
        ("bad_email.yaml", 23, "units[0].contacts[0].email", "not a valid email address"),
        ("missing_field.yaml", 2, "title", "required field is missing"),
        ("wrong_type.yaml", 10, "period.start", "valid integer"),
        ("unknown_key.yaml", 51, "commitments[0].activities[1].partner", "unknown key"),
        ("empty.yaml", 1, "", "the file is empty"),
        ("not_utf8.yaml", 7, "", "not UTF-8"),
        ("duplicate_key.yaml", 9, "", "duplicate key 'short_name' (first on line 8)"),
        ("bad_annual_date.yaml", 35, "follow_up.annual_date", "day is out of range"),
        (
            "bad_party.yaml",
            55,
            "commitments[1].party",
            "'municipality', 'civil_society' or 'joint'",
        ),
        (
            "reversed_range.yaml",
            46,
            "commitments[0].activities[0].timeline",
            "the range ends before it starts",
        ),
    ],
)
def test_broken_plan_names_file_line_and_field(
    name: str, line: int, field: str, message: str
) -> None:
    result = read_plan_file(BROKEN / name)
    assert isinstance(result, list) and len(result) == 1, result
    error = result[0]
    assert (error.file, error.line, error.field) == (BROKEN / name, line, field)
    assert message in error.message
    assert str(error).startswith(f"{BROKEN / name}:{line}:")


def test_all_errors_of_a_file_at_once(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal.yaml").read_text()
    text = text.replace("owners: [kultur]\n", "owners: [nobody]\n").replace(
        "timeline: Löpande", "timeline: Ibland"
    )
    path = tmp_path / "two.yaml"
    path.write_text(text)
    result = read_plan_file(path)
    assert isinstance(result, list)
    assert [e.field for e in result] == [
        "commitments[0].activities[0].owners[0]",
        "commitments[1].activities[0].timeline",
    ]


def test_folders_and_duplicate_slugs(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text((FIXTURES / "minimal.yaml").read_text())
    plans, errors = read_plans([tmp_path, tmp_path / "missing.yaml"])
    assert len(plans) == 1
    assert [e.message for e in errors] == [
        "no such file or folder",
        f"plan slug 'testby' is also used by {tmp_path / 'a.yaml'}",
    ]


def test_minimal_fixture_is_valid() -> None:
    assert isinstance(read_plan_file(FIXTURES / "minimal.yaml"), PlanFile)


# Activities per plan, counted by hand in the source documents (../shared/seeds).
# Tierp's evaluation row is an activity of the municipality; Västerås has one
# activity per source sentence or bullet, with the municipality's duty to report
# back how views were handled.
SOURCE_COUNTS = {
    "tierp": {"municipality": 27, "civil_society": 9},
    "orebro": {"municipality": 9, "civil_society": 2, "joint": 3},
    "lulea": {"municipality": 9, "civil_society": 9, "joint": 2},
    "vasteras": {"joint": 12, "municipality": 12, "civil_society": 9},
    "botkyrka": {"joint": 14, "municipality": 22, "civil_society": 18},
}


@pytest.mark.parametrize("slug", sorted(SOURCE_COUNTS))
def test_bundled_plan_counts_match_the_source(slug: str) -> None:
    result = read_plan_file(PLANS / f"{slug}.yaml")
    assert isinstance(result, PlanFile), result
    counts: dict[str, int] = {}
    for commitment, activity in result.document.activities():
        party = str(activity.party or commitment.party)
        counts[party] = counts.get(party, 0) + 1
    assert counts == SOURCE_COUNTS[slug]


def test_tierp_ids_carry_the_party_and_orebro_keeps_its_numbering() -> None:
    tierp = read_plan_file(PLANS / "tierp.yaml")
    orebro = read_plan_file(PLANS / "orebro.yaml")
    assert isinstance(tierp, PlanFile) and isinstance(orebro, PlanFile)
    ids = [a.id for _, a in tierp.document.activities()]
    assert "kommun-1.1" in ids and "civil-1.1" in ids
    assert [c.number for c in tierp.document.commitments][:2] == ["1.", "2."]
    assert {c.number for c in orebro.document.commitments} >= {"Å1 Kommun", "Å13 Kommun"}
    assert [a.number for _, a in orebro.document.activities()] == [str(n) for n in range(1, 15)]


def _prose(value: object, key: str = "") -> list[str]:
    """Every text a reader sees (not ids, slugs, addresses or references)."""
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _prose(v, k)]
    if isinstance(value, list):
        return [t for v in value for t in _prose(v, key)]
    skip = {"id", "slug", "email", "owners", "principle", "file", "url", "lokflow"}
    return [value] if isinstance(value, str) and key not in skip else []


def test_vasteras_has_its_swedish_letters_back() -> None:
    plan = read_plan_file(PLANS / "vasteras.yaml")
    assert isinstance(plan, PlanFile)
    text = "\n".join(_prose(plan.document.model_dump(mode="json")))
    for word in ("Västerås", "Civilsamhällets", "förnyelse", "LÖK", "tillgänglighet"):
        assert word in text
    for ocr in (
        "Vasteras",
        "Civilsamhallet",
        "fornyelse",
        "férnyelse",
        "6kad",
        "tillganglig",
        "malgrupper",
        "LOK",
    ):
        assert ocr not in text


def test_unquoted_year_and_date_timelines_are_read_as_written(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal.yaml").read_text().replace('timeline: "2024"', "timeline: 2024")
    text = text.replace("timeline: Årligen", "timeline: 2025-03-31")
    path = tmp_path / "unquoted.yaml"
    path.write_text(text)
    plan = read_plan_file(path)
    assert isinstance(plan, PlanFile)
    assert [a.timeline for _, a in plan.document.activities()][:2] == ["2024", "2025-03-31"]
