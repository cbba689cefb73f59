"""The timeline language: every form found in the seed plans, variants of
case, whitespace and dashes, and errors that list the accepted forms."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokflow.domain.timelines import (
    Deadline,
    MonthDay,
    OnDemand,
    Ongoing,
    Recurrence,
    TimelineContext,
    TimelineError,
    Window,
    Yearly,
    parse_timeline,
)

CTX = TimelineContext(
    annual_date=MonthDay(11, 15),
    adopted=date(2022, 6, 20),
    period_start=date(2022, 1, 1),
    checkins_per_year=2,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", Deadline(due=date(2023, 12, 31))),
        ("2022-2023", Window(start=date(2022, 1, 1), end=date(2023, 12, 31))),
        ("2022–2023", Window(start=date(2022, 1, 1), end=date(2023, 12, 31))),
        ("2022 — 2023", Window(start=date(2022, 1, 1), end=date(2023, 12, 31))),
        ("Årligen", Yearly(month=11, day=15, start=date(2022, 1, 1))),
        ("  ÅRLIGEN ", Yearly(month=11, day=15, start=date(2022, 1, 1))),
        ("Löpande", Ongoing(start=date(2022, 1, 1), checkins_per_year=2)),
        ("kontinuerligt", Ongoing(start=date(2022, 1, 1), checkins_per_year=2)),
        ("Vid behov", OnDemand()),
        ("vid   Behov", OnDemand()),
        ("2022 och framåt", Ongoing(start=date(2022, 1, 1))),
        ("2023 och framåt", Ongoing(start=date(2023, 1, 1))),
        (
            "2022-2023 och framåt",
            Ongoing(start=date(2022, 1, 1), initial_deadline=date(2023, 12, 31)),
        ),
        (
            "Start 2022 i samband med att överenskommelsen antas",
            Yearly(month=11, day=15, start=date(2022, 6, 20)),
        ),
        ("2025-03-31", Deadline(due=date(2025, 3, 31))),
        ("2025-01-01..2025-06-30", Window(start=date(2025, 1, 1), end=date(2025, 6, 30))),
        (
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
            Recurrence(rrule="RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", dtstart=date(2022, 1, 1)),
        ),
        (
            "DTSTART:20190918\nRRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18",
            Recurrence(
                rrule="RRULE:FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=18", dtstart=date(2019, 9, 18)
            ),
        ),
    ],
)
def test_seed_forms(text: str, expected: object) -> None:
    assert parse_timeline(text, CTX) == expected


def test_activity_names_its_own_yearly_day() -> None:
    assert parse_timeline("Årligen", CTX, annual_date=MonthDay(3, 31)) == Yearly(
        month=3, day=31, start=date(2022, 1, 1)
    )


def test_adoption_in_another_year_starts_on_new_year() -> None:
    ctx = TimelineContext(annual_date=MonthDay(11, 15), adopted=None)
    schedule = parse_timeline("Start 2022 i samband med att överenskommelsen antas", ctx)
    assert schedule == Yearly(month=11, day=15, start=date(2022, 1, 1))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Snart", ""),
        ("", "empty"),
        ("2024-2022", "ends before it starts"),
        ("2025-02-30", "day is out of range"),
        ("RRULE:FREQ=SOMETIMES", "invalid RRULE"),
        ("1066", "plausible year"),
        ("i mars", "annual_date"),
    ],
)
def test_unreadable_timelines_name_text_and_accepted_forms(text: str, reason: str) -> None:
    with pytest.raises(TimelineError) as caught:
        parse_timeline(text, CTX)
    message = str(caught.value)
    assert repr(text) in message
    assert "README 'Writing a plan'" in message
    assert reason in message if reason else "nearest accepted form: '" in message
    assert reason in message


@given(st.integers(1900, 2200))
def test_any_year_is_due_on_new_years_eve(year: int) -> None:
    assert parse_timeline(str(year), CTX) == Deadline(due=date(year, 12, 31))


@given(st.integers(1900, 2200), st.integers(0, 10), st.sampled_from(["-", "–", "—", " - ", " – "]))
def test_ranges_with_any_dash(first: int, span: int, dash: str) -> None:
    last = min(first + span, 2200)
    assert parse_timeline(f"{first}{dash}{last}", CTX) == Window(
        start=date(first, 1, 1), end=date(last, 12, 31)
    )


WORDS = [
    "Årligen",
    "Löpande",
    "Kontinuerligt",
    "Vid behov",
    "2022 och framåt",
    "2022-2023 och framåt",
    "Start 2022 i samband med att överenskommelsen antas",
]


@given(st.sampled_from(WORDS), st.data())
def test_case_and_whitespace_do_not_matter(text: str, data: st.DataObject) -> None:
    flipped = "".join(
        c.upper() if data.draw(st.booleans(), label="upper") else c.lower() for c in text
    )
    spaced = flipped.replace(" ", data.draw(st.sampled_from([" ", "  ", "\t", " \n "])))
    padded = data.draw(st.sampled_from(["", " ", "\t"])) + spaced + " "
    assert parse_timeline(padded, CTX) == parse_timeline(text, CTX)


@given(st.text(max_size=40))
def test_anything_either_parses_or_says_why(text: str) -> None:
    try:
        parse_timeline(text, CTX)
    except TimelineError as error:
        assert "accepted forms" in str(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("11-15", MonthDay(11, 15)), ("3-1", MonthDay(3, 1)), ("--02-29", MonthDay(2, 29))],
)
def test_month_day(text: str, expected: MonthDay) -> None:
    assert MonthDay.parse(text) == expected


def test_leap_day_falls_back_in_common_years() -> None:
    assert MonthDay(2, 29).in_year(2023) == date(2023, 2, 28)
    assert MonthDay(2, 29).in_year(2024) == date(2024, 2, 29)
