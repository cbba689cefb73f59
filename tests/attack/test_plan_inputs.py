"""Hostile plan files: the reader answers every input with a plan or a list of
PlanErrors, within 200 MB, without hanging. Heavy cases run in a child process
whose peak RSS is measured (tests/attack/measured.py)."""

from __future__ import annotations

import json
import os
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from lokflow.benchmarks.hostile_plans import MIB, benign_plan, exactly, hostile_plans
from lokflow.domain.occurrences import PlanCalendar, occurrences
from lokflow.domain.timelines import MonthDay, Recurrence
from lokflow.plans.plan_files import PlanError, PlanFile, read_plan_file, read_plans
from tests.attack.measured import MEMORY_BOUND_MIB, run_measured
from tests.conftest import FIXTURES, PLANS

BROKEN = FIXTURES / "broken"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


@cache
def megabyte_shapes() -> dict[str, bytes]:
    return hostile_plans(MIB)


def read_in_child(path: Path) -> dict[str, object]:
    """read_plan_file(path) in a fresh process: its outcome, checked for shape and memory."""
    run = run_measured(["-m", "tests.attack.read_plan_child", str(path)])
    assert not run.hung, f"reading {path.name} hung"
    assert run.returncode == 0, run.output[-3000:]
    assert run.peak_mib < MEMORY_BOUND_MIB, f"{path.name}: peak RSS {run.peak_mib:.0f} MiB"
    outcome: dict[str, object] = json.loads(run.output.strip().splitlines()[-1])
    errors = outcome.get("errors", [])
    assert isinstance(errors, list)
    for file, line, field, message in errors:
        assert file == str(path)
        assert isinstance(line, int) and line >= 0
        assert isinstance(field, str) and isinstance(message, str) and message
    return outcome


def only_error(outcome: dict[str, object]) -> tuple[int, str, str]:
    errors = outcome.get("errors")
    assert isinstance(errors, list) and len(errors) == 1, outcome
    _, line, field, message = errors[0]
    return line, field, message


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    path = BROKEN / "alias_bomb.yaml"
    assert path.stat().st_size == 342
    line, field, message = only_error(read_in_child(path))
    assert (line, field) == (1, "a")
    assert "anchors and aliases (&a) are not allowed" in message


def test_deep_nesting_is_refused_at_its_line(tmp_path: Path) -> None:
    line, field, message = only_error(read_in_child(BROKEN / "deep_nesting.yaml"))
    assert (line, field, message) == (15, "", "nested more than 20 levels deep")
    path = _plan_with(tmp_path, "title: Handlingsplan för Testby",
                      "title:\n  - " + "[" * 25 + "]" * 25)
    result = read_plan_file(path)
    assert isinstance(result, list)
    assert [(e.line, e.field, e.message) for e in result] == [
        (8, "title", "nested more than 20 levels deep")]


@pytest.mark.parametrize("shape", sorted(hostile_plans(4096)))
def test_every_hostile_megabyte_gives_plan_errors_within_the_bound(
    shape: str, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(megabyte_shapes()[shape])
    outcome = read_in_child(path)
    assert outcome.get("errors"), outcome


def test_a_megabyte_plan_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    fits, over = tmp_path / "fits.yaml", tmp_path / "over.yaml"
    fits.write_bytes(benign_plan(MIB))
    over.write_bytes(fits.read_bytes() + b"\n")
    assert read_in_child(fits) == {"plan": "kommun001"}
    assert only_error(read_in_child(over)) == (
        0, "", "the file is 1,048,577 bytes; a plan file may be at most 1 MB (1,048,576 bytes)")


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as sparse:
        sparse.truncate(300 * MIB)
    line, field, message = only_error(read_in_child(path))
    assert (line, field) == (0, "")
    assert message.startswith("the file is 314,572,800 bytes; a plan file may be at most 1 MB")


def test_a_fifo_or_folder_named_like_a_plan_is_an_error(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    (tmp_path / "folder.yaml").mkdir()
    assert only_error(read_in_child(fifo)) == (0, "", "not a regular file")
    plans, errors = read_plans([tmp_path])
    assert plans == []
    assert [(e.file.name, e.line, e.message) for e in errors] == [
        ("fifo.yaml", 0, "not a regular file"), ("folder.yaml", 0, "not a regular file")]


def _plan_with(tmp_path: Path, old: str, new: str) -> Path:
    assert old in MINIMAL
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("adopted: 2023-02-30", "adopted", "cannot read 2023-02-30: day is out of range for month"),
        ("adopted: 0000-01-01", "adopted", "cannot read 0000-01-01"),
        ("note: 1" + "0" * 5000, "note", "cannot read 10000000000"),
        ("note: !!binary aGVq", "note", "YAML tags (!!binary) are not allowed"),
        ("note: *missing", "note", "anchors and aliases (*missing) are not allowed"),
        ("? [a, b]\n: c", "", "a key must be plain text"),
        ("---\nnote: x", "", "a plan file holds one YAML document"),
    ],
)
def test_values_yaml_cannot_turn_into_data_are_plan_errors(
    text: str, field: str, message: str, tmp_path: Path
) -> None:
    path = _plan_with(tmp_path, "adopted: 2023-02-15", text)
    result = read_plan_file(path)
    assert isinstance(result, list) and len(result) == 1, result
    error = result[0]
    assert (error.file, error.line, error.field) == (path, 12, field)
    assert message in error.message


def test_control_characters_name_their_line(tmp_path: Path) -> None:
    path = _plan_with(tmp_path, "title: Handlingsplan för Testby", "title: Hand\x07lingsplan")
    result = read_plan_file(path)
    assert isinstance(result, list) and [(e.line, e.field) for e in result] == [(7, "")]
    assert "not allowed" in result[0].message


REFUSED_RRULES = [
    ("RRULE:FREQ=MINUTELY", "FREQ=MINUTELY repeats more often than once a week"),
    ("RRULE:FREQ=DAILY", "FREQ=DAILY repeats more often than once a week"),
    ("FREQ=HOURLY;INTERVAL=200", "FREQ=HOURLY repeats more often than once a week"),
    ("DTSTART:20230101\nRRULE:FREQ=SECONDLY;COUNT=5", "FREQ=SECONDLY repeats more often"),
    ("RRULE:FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "more than 53 times within a year"),
    ("RRULE:FREQ=WEEKLY;BYDAY=MO,TH", "more than 53 times within a year"),
    ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1,8,15,22,28", "more than 53 times within a year"),
    ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,SA", "more than 53 times within a year"),
    ("RRULE:FREQ=YEARLY;BYDAY=TH,-12FR", "mixes numbered (e.g. -1FR) and plain"),
    ("RRULE:FREQ=YEARLY;BYMONTH=13", "BYMONTH=13: use whole numbers 1 to 12"),
    ("RRULE:FREQ=YEARLY;FREQ=DAILY", "FREQ is given twice"),
    ("RRULE:FREQ=YEARLY;BYMONTH=3;BYHOUR=9", "BYHOUR is not supported"),
    ("RRULE:FREQ=YEARLY;BYEASTER=0", "BYEASTER is not supported"),
    ("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never falls due: no month it reaches has"),
    ("DTSTART:20230401\nRRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", "has day 31"),
    ("RRULE:FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=29", "BYMONTHDAY needs FREQ=MONTHLY or YEARLY"),
    ("RRULE:FREQ=MONTHLY;BYDAY=6MO", "a month has at most 5 of each weekday"),
    ("RRULE:FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20", "a numbered BYDAY (1MO) cannot be combined"),
    ("RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTH=2", "never falls due"),
    ("RRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "never falls due"),
    ("DTSTART:20230101\nRRULE:FREQ=YEARLY;UNTIL=20220101", "never falls due"),
    ("RRULE:FREQ=YEARLY;INTERVAL=101", "INTERVAL=101: use whole numbers 1 to 100"),
    ("DTSTART:20230230\nRRULE:FREQ=YEARLY", "20230230 is not a date"),
    ("DTSTART:00010101\nRRULE:FREQ=YEARLY", "1 is not a plausible year"),
]


@pytest.mark.parametrize(("timeline", "message"), REFUSED_RRULES)
def test_runaway_rrules_are_refused_at_their_line(
    timeline: str, message: str, tmp_path: Path
) -> None:
    path = _plan_with(tmp_path, 'timeline: "2024"', f"timeline: {json.dumps(timeline)}")
    result = read_plan_file(path)
    assert isinstance(result, list) and len(result) == 1, result
    error = result[0]
    assert (error.line, error.field) == (
        _line_of(path, "timeline: \""), "commitments[0].activities[0].timeline")
    assert message in error.message, error.message


@pytest.mark.parametrize(
    "timeline",
    [
        "DTSTART:20190918\nRRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=WEEKLY;INTERVAL=2",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15",
        "RRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=5;BYDAY=2TU",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
        "RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        "RRULE:FREQ=MONTHLY;BYDAY=5SU",
        "RRULE:FREQ=YEARLY;BYDAY=-1MO",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15;COUNT=8",
    ],
)
def test_rrules_at_most_weekly_are_read(timeline: str, tmp_path: Path) -> None:
    path = _plan_with(tmp_path, 'timeline: "2024"', f"timeline: {json.dumps(timeline)}")
    assert isinstance(read_plan_file(path), PlanFile)


def test_a_stored_rule_finer_than_weekly_yields_no_dates() -> None:
    """A schedule loaded by an earlier version must not run away in `lokflow show`
    (its plan file is refused until it is fixed)."""
    minutely = Recurrence(rrule="RRULE:FREQ=MINUTELY", dtstart=date(2019, 1, 1))
    calendar = PlanCalendar(annual_date=MonthDay(10, 1))
    assert occurrences(minutely, calendar, date(2023, 1, 1), date(2027, 12, 31)) == []
    weekly = Recurrence(rrule="RRULE:FREQ=WEEKLY", dtstart=date(2023, 1, 1))
    assert len(occurrences(weekly, calendar, date(2023, 1, 1), date(2023, 12, 31))) == 53


def test_many_errors_are_cut_short_with_a_count(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_bytes(exactly(MINIMAL.replace("      - id: k-1.1", "      - {}\n" * 500
                                             + "      - id: k-1.1"), 64 * 1024))
    result = read_plan_file(path)
    assert isinstance(result, list) and len(result) == 101
    assert all(isinstance(e, PlanError) for e in result)
    assert result[0].field == "commitments[0].activities[0].id"
    assert result[-1].message == "… and 1,900 more errors; fix these first"


def test_the_unknown_unit_message_lists_a_few_units(tmp_path: Path) -> None:
    units = "".join(f"  - {{id: enhet-{n:03d}, name: Enhet {n}}}\n" for n in range(300))
    path = _plan_with(tmp_path, "units:\n", "units:\n" + units)
    path.write_text(path.read_text(encoding="utf-8").replace("owners: [kultur]\n",
                                                             "owners: [kulturen]\n"))
    result = read_plan_file(path)
    assert isinstance(result, list) and len(result) == 1
    assert result[0].message == (
        "unknown unit 'kulturen'; units of this plan: enhet-000, enhet-001, enhet-002, "
        "enhet-003, enhet-004, enhet-005, enhet-006, enhet-007, enhet-008, enhet-009, "
        "… (302 in all)")


def test_the_bundled_plans_still_read() -> None:
    plans, errors = read_plans([PLANS])
    assert errors == [] and len(plans) == 5


def test_fuzzing_the_reader_stays_within_the_memory_bound(tmp_path: Path) -> None:
    """Hypothesis, in a child process so that its peak memory is measured. The
    bound is on what reading took: the peak above the child's memory once
    pytest, hypothesis and lokflow were imported (about 65 MiB of tools)."""
    baseline = tmp_path / "baseline"
    run = run_measured(["-m", "pytest", "--noconftest", "-q", "-p", "no:cacheprovider",
                        "tests/attack/plan_fuzzing.py"],
                       env={"LOKFLOW_FUZZ_BASELINE_FILE": str(baseline)})
    assert not run.hung, "fuzzing hung:\n" + run.output[-3000:]
    assert run.returncode == 0, run.output[-6000:]
    assert " passed" in run.output
    growth = run.peak_mib - int(baseline.read_text()) / 1024
    assert growth < MEMORY_BOUND_MIB, f"peak RSS {run.peak_mib:.0f} MiB, {growth:.0f} MiB read"


def test_a_plan_may_use_at_most_100_different_rrules(tmp_path: Path) -> None:
    """Each RRULE's dates are checked once; a file cannot ask for that thousands of times."""
    rules = "".join(
        f"      - {{id: r{n}, text: T., owners: [kultur], timeline: "
        f"\"DTSTART:2023{1 + n // 28:02d}{1 + n % 28:02d}\\nRRULE:FREQ=YEARLY\"}}\n"
        for n in range(102))
    path = _plan_with(tmp_path, "    activities:\n      - id: k-1.1\n",
                      "    activities:\n" + rules + "      - id: k-1.1\n")
    result = read_plan_file(path)
    assert isinstance(result, list)
    assert [(e.field, e.line) for e in result] == [
        ("commitments[0].activities[100].timeline", _line_of(path, "id: r100,")),
        ("commitments[0].activities[101].timeline", _line_of(path, "id: r101,"))]
    assert result[0].message == ("more than 100 different RRULE timelines in one plan; "
                                 "write the others in words")
