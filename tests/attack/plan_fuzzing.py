"""Property-based fuzzing of the plan reader with hypothesis.

Not collected on its own (the name does not start with test_):
tests/attack/test_plan_inputs.py runs it in a child process, so that the peak
memory of every example together stays measured under the bound.

Whatever the input (arbitrary text or bytes, YAML-shaped noise, real plans
mutated), the reader returns a PlanFile or a non-empty list of PlanErrors that
each name the file, a line >= 0, a field and a message; and every timeline of
an accepted plan yields a bounded number of dates.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lokflow.domain.occurrences import PlanCalendar, occurrences
from lokflow.domain.plan_schedules import activity_schedule
from lokflow.domain.timelines import MonthDay, TimelineContext, TimelineError, parse_timeline
from lokflow.plans.plan_files import PlanError, PlanFile, parse_plan_text, read_plan_file

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "plans").glob("*.yaml"))]
PLAN_TEXTS.append((ROOT / "tests" / "fixtures" / "minimal.yaml").read_text(encoding="utf-8"))
PATH = Path("fuzzed.yaml")
EXAMPLES = int(os.environ.get("LOKFLOW_FUZZ_EXAMPLES", "300"))


def _warm_hypothesis() -> None:
    @settings(max_examples=1, database=None)
    @given(st.text())
    def draw_text(text: str) -> None:
        del text

    draw_text()


def _note_baseline() -> None:
    """This process's memory before any fuzzing (pytest, hypothesis and lokflow
    imported), so the parent can tell the reader's own growth from the tools'.
    In a fresh checkout hypothesis first builds its tables of Unicode and of
    what UTF-8 encodes (about 200 MiB, then cached in .hypothesis/): drawn here
    once first, and the peak is reset to now (clear_refs 5), so the measured
    peak is the fuzzing's alone."""
    target = os.environ.get("LOKFLOW_FUZZ_BASELINE_FILE")
    if target:
        _warm_hypothesis()
        Path("/proc/self/clear_refs").write_text("5")
        status = Path("/proc/self/status").read_text()
        Path(target).write_text(next(line.split()[1] for line in status.splitlines()
                                     if line.startswith("VmRSS:")))


_note_baseline()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOKENS = [
    "&a ", "*a", "&b [*a, *a]", "!!binary ", "!!python/object:os.system ", "!foo ", "<<: ",
    "? ", "- ", ": ", "[", "]", "{", "}", ", ", "'", '"', "|", ">-", "#", "---\n", "...\n",
    "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\t", "\x00", "\x07", "\ufeff", "\u2028", "\r",
    "~", "null", "yes", "no", "2023-02-30", "2024-02-29", "0000-01-01", "1e999", "0x1F",
    "0o17", "1:20:30", ".nan", "-.inf", "9" * 5000, "x" * 20_000, "\n", "  ", "    ",
    "timeline: ", "owners: ", "activities:\n", "id: ", "RRULE:FREQ=DAILY",
    "RRULE:FREQ=MINUTELY", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "DTSTART:20230230\\nRRULE:FREQ=YEARLY", "\"DTSTART:00010101\\nRRULE:FREQ=WEEKLY\"",
    "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE;BYSETPOS=-1", "Årligen", "Löpande", "2022-2023",
    "Vid behov", "2022 och framåt", "2025-01-01..2025-06-30",
]
RRULE_PARTS = [
    "FREQ=YEARLY", "FREQ=MONTHLY", "FREQ=WEEKLY", "FREQ=DAILY", "FREQ=HOURLY",
    "FREQ=MINUTELY", "FREQ=SECONDLY", "FREQ=FORTNIGHTLY", "INTERVAL=0", "INTERVAL=2",
    "INTERVAL=52", "INTERVAL=99999", "COUNT=0", "COUNT=3", "UNTIL=20220101", "UNTIL=20991231",
    "UNTIL=2022", "BYMONTH=2", "BYMONTH=2,4", "BYMONTH=13", "BYMONTHDAY=-1", "BYMONTHDAY=15",
    "BYMONTHDAY=29", "BYMONTHDAY=31", "BYMONTHDAY=0", "BYDAY=MO", "BYDAY=MO,TU,WE,TH,FR",
    "BYDAY=1MO", "BYDAY=-1FR", "BYDAY=5SU", "BYDAY=53MO", "BYDAY=+2TU", "BYSETPOS=-1",
    "BYSETPOS=400", "BYWEEKNO=53", "BYYEARDAY=366", "BYEASTER=0", "BYHOUR=9",
    "BYMINUTE=0,30", "WKST=SU", "WKST=XX", "X-FOO=1", "", "=", ";",
]


def check(result: PlanFile | list[PlanError], text: str, path: Path = PATH) -> None:
    """The reader's answer has the promised shape; accepted timelines are bounded."""
    if isinstance(result, PlanFile):
        event("a valid plan")
        bounded_timelines(result)
        return
    event(f"{min(len(result), 2)} error(s)")
    assert isinstance(result, list) and result, result
    last_line = len(text.splitlines()) + 2  # YAML also breaks lines at \r, \x85, \u2028
    for error in result:
        assert isinstance(error, PlanError), error
        assert error.file == path
        assert isinstance(error.line, int) and 0 <= error.line <= last_line, error
        assert isinstance(error.field, str)
        assert isinstance(error.message, str) and error.message


def bounded_timelines(plan: PlanFile) -> None:
    """Ten years of any accepted timeline is at most weekly: 53 dates a year."""
    document = plan.document
    calendar = PlanCalendar(annual_date=MonthDay.parse(document.follow_up.annual_date))
    start = date(document.period.start, 1, 1)
    for _, activity in document.activities():
        schedule = activity_schedule(document, activity)
        found = occurrences(schedule, calendar, start, date(start.year + 9, 12, 31))
        assert len(found) <= 53 * 10, (activity.timeline, len(found))


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text(text: str) -> None:
    check(parse_plan_text(PATH, text), text)


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_bytes(data)
        check(read_plan_file(path), data.decode("utf-8", errors="replace"), path)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=200).map("".join))
def test_yaml_shaped_noise(text: str) -> None:
    check(parse_plan_text(PATH, text), text)


@st.composite
def mutated_plan(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(PLAN_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "replace", "indent",
                                       "truncate", "timeline"]))
        line = lines[at]
        if action == "insert":
            column = draw(st.integers(0, len(line)))
            lines[at] = line[:column] + draw(st.sampled_from(TOKENS)) + line[column:]
        elif action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines[at:at] = [line] * draw(st.integers(1, 50))
        elif action == "replace":
            lines[at] = draw(st.sampled_from(draw(st.sampled_from(PLAN_TEXTS)).split("\n")))
        elif action == "indent":
            lines[at] = " " * draw(st.integers(0, 9)) + line.lstrip()
        elif action == "truncate":
            lines = lines[:at + 1]
            lines[at] = line[:draw(st.integers(0, len(line)))]
        elif action == "timeline" and "timeline:" in line:
            lines[at] = line.split("timeline:")[0] + "timeline: " + draw(rrule_text())
    return "\n".join(lines)


@FUZZ
@given(mutated_plan())
def test_mutated_real_plans(text: str) -> None:
    check(parse_plan_text(PATH, text), text)


@st.composite
def rrule_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(RRULE_PARTS), min_size=1, max_size=5))
    start = draw(st.sampled_from(["", "DTSTART:20230101\\n", "DTSTART:20240229\\n",
                                  "DTSTART:19000101\\n", "DTSTART:99991231\\n"]))
    return '"' + start + "RRULE:" + ";".join(parts) + '"'


@FUZZ
@given(st.lists(st.sampled_from(RRULE_PARTS), min_size=1, max_size=6),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)))
def test_any_accepted_rrule_is_at_most_weekly(parts: list[str], start: date) -> None:
    context = TimelineContext(annual_date=MonthDay(10, 1), period_start=start)
    try:
        schedule = parse_timeline("RRULE:" + ";".join(parts), context)
    except TimelineError:
        return
    calendar = PlanCalendar(annual_date=MonthDay(10, 1))
    found = occurrences(schedule, calendar, start, date(start.year + 4, 12, 31))
    assert len(found) <= 53 * 5, (parts, len(found))
