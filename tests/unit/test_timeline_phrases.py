"""Timelines as Swedish coordinators write them: a table of phrases with the
schedule each one gives, the grammar's own examples, and properties of the
parser over generated text (hypothesis)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lokflow.domain.timeline_grammar import FORMS
from lokflow.domain.timeline_words import MONTHS, PARTS
from lokflow.domain.timelines import (
    AnySchedule,
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

CTX = TimelineContext(annual_date=MonthDay(11, 15), adopted=date(2025, 3, 12),
                      period_start=date(2025, 1, 1), checkins_per_year=2,
                      named_dates=(("budget", "06-15"), ("budget 2027", "2026-10-01")))
START = date(2025, 1, 1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def w(first: str, last: str) -> Window:
    return Window(start=d(first), end=d(last))


def every(per_year: int, start: date | None = START) -> Ongoing:
    return Ongoing(start=start, checkins_per_year=per_year)


PHRASES: list[tuple[str, AnySchedule]] = [
    # the list
    ("Under 2025", w("2025-01-01", "2025-12-31")),
    ("Senast 30 juni 2026", Deadline(due=d("2026-06-30"))),
    ("juni 2025", w("2025-06-01", "2025-06-30")),
    ("Q3 2025", w("2025-07-01", "2025-09-30")),
    ("kvartal 3 2025", w("2025-07-01", "2025-09-30")),
    ("Varje termin", every(2)),
    ("vårterminen 2026", w("2026-01-01", "2026-06-30")),
    ("Årligen i mars", Yearly(month=3, day=31, start=START)),
    ("fortlöpande", every(2)),
    ("Löpande.", every(2)),
    ("Hösten 2025", w("2025-08-01", "2025-12-31")),
    ("Våren 2026", w("2026-01-01", "2026-06-30")),
    ("Första halvåret 2026", w("2026-01-01", "2026-06-30")),
    ("Vecka 12 2026", w("2026-03-16", "2026-03-22")),
    ("Varje månad", every(12)),
    ("Varje kvartal", every(4)),
    ("Två gånger per år", every(2)),
    ("Inför budget 2026", Deadline(due=d("2026-06-15"))),
    ("Senast vid årsskiftet", Deadline(due=d("2025-12-31"))),
    ("Från 2025", every(2)),
    ("2025 och framåt", every(2)),
    ("2025–2027, årligen", Recurrence(
        rrule="RRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15;UNTIL=20271231", dtstart=START)),
    ("Start hösten 2025", every(2, d("2025-08-01"))),
    # the seed plans' forms and their variants
    ("2023", Deadline(due=d("2023-12-31"))),
    ("Senast 2026", Deadline(due=d("2026-12-31"))),
    ("2022-2023", w("2022-01-01", "2023-12-31")),
    ("2022 – 2023", w("2022-01-01", "2023-12-31")),
    ("2022/2023", w("2022-01-01", "2023-12-31")),
    ("Årligen", Yearly(month=11, day=15, start=START)),
    ("Varje år", Yearly(month=11, day=15, start=START)),
    ("En gång per år", Yearly(month=11, day=15, start=START)),
    ("Löpande", every(2)),
    ("Kontinuerligt", every(2)),
    ("Pågående", every(2)),
    ("Under hela perioden", every(2)),
    ("Vid behov", OnDemand()),
    ("Vid behov.", OnDemand()),
    ("2022-2023 och framåt", Ongoing(start=d("2022-01-01"), initial_deadline=d("2023-12-31"),
                                     checkins_per_year=2)),
    ("Start 2025 i samband med att överenskommelsen antas",
     Yearly(month=11, day=15, start=d("2025-03-12"))),
    ("2025-03-31", Deadline(due=d("2025-03-31"))),
    ("Senast 2025-03-31", Deadline(due=d("2025-03-31"))),
    ("2025-01-01..2025-06-30", w("2025-01-01", "2025-06-30")),
    ("2025-01-01 till 2025-06-30", w("2025-01-01", "2025-06-30")),
    # more Swedish ways of saying it
    ("Klart senast 15 mars 2026", Deadline(due=d("2026-03-15"))),
    ("senast 1 okt. 2025", Deadline(due=d("2025-10-01"))),
    ("Senast 30/6 2026", Deadline(due=d("2026-06-30"))),
    ("Under juni 2025", w("2025-06-01", "2025-06-30")),
    ("i december 2025", w("2025-12-01", "2025-12-31")),
    ("Q1 2026", w("2026-01-01", "2026-03-31")),
    ("kv 4 2025", w("2025-10-01", "2025-12-31")),
    ("Höstterminen 2025", w("2025-08-01", "2025-12-31")),
    ("HT 2026", w("2026-08-01", "2026-12-31")),
    ("Andra halvåret 2025", w("2025-07-01", "2025-12-31")),
    ("Sommaren 2026", w("2026-06-01", "2026-08-31")),
    ("I slutet av 2025", w("2025-10-01", "2025-12-31")),
    ("I början av 2026", w("2026-01-01", "2026-03-31")),
    ("v. 40 2025", w("2025-09-29", "2025-10-05")),
    ("Månadsvis", every(12)),
    ("Kvartalsvis", every(4)),
    ("Varje halvår", every(2)),
    ("Tre gånger per år", every(3)),
    ("fr.o.m. 2026", every(2, d("2026-01-01"))),
    ("Start 2026", every(2, d("2026-01-01"))),
    ("Startar våren 2026", every(2, d("2026-01-01"))),
    ("Inför budget", Yearly(month=6, day=15, start=START)),
    ("Inför budget 2027", Deadline(due=d("2026-10-01"))),
    ("Senast vid årsskiftet 2026", Deadline(due=d("2026-12-31"))),
    ("Varje år i september", Yearly(month=9, day=30, start=START)),
    ("Årligen 2025-2026", Recurrence(
        rrule="RRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15;UNTIL=20261231", dtstart=START)),
    ("  LÖPANDE  ", every(2)),
    ("RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
     Recurrence(rrule="RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", dtstart=START)),
]


def test_the_table_has_at_least_sixty_phrases() -> None:
    assert len({text for text, _ in PHRASES}) >= 60


@pytest.mark.parametrize(("text", "expected"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase(text: str, expected: AnySchedule) -> None:
    assert parse_timeline(text, CTX) == expected


@pytest.mark.parametrize("form", FORMS, ids=[f.example for f in FORMS])
def test_every_form_parses_its_own_example_and_is_in_the_readme(form: object) -> None:
    assert parse_timeline(form.example, CTX).kind == form.kind  # type: ignore[attr-defined]
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"| {form.example} | `{form.kind}` |" in readme  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "nearest"), [
    ("i mars", "annual_date"),
    ("Hösten", "Hösten 2025"),
    ("Kvartal 2025", "Q3 2025"),
    ("Inför valet 2026", "named_dates"),
    ("Snart", "ISO date"),
])
def test_unreadable_phrases_name_the_nearest_form(text: str, nearest: str) -> None:
    with pytest.raises(TimelineError) as caught:
        parse_timeline(text, CTX)
    assert nearest in str(caught.value) and repr(text) in str(caught.value)


YEARS = st.integers(min_value=1990, max_value=2199)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_is_a_timeline_error(text: str) -> None:
    try:
        schedule = parse_timeline(text, CTX)
    except TimelineError as error:
        assert "timeline" in str(error)
    else:
        assert schedule.kind in {f.kind for f in FORMS}


@settings(max_examples=100, deadline=None)
@given(year=YEARS, month=st.sampled_from(sorted(MONTHS)), day=st.integers(1, 28),
       senast=st.booleans(), full_stop=st.booleans(), upper=st.booleans())
def test_a_day_month_year_is_that_deadline(year: int, month: str, day: int, senast: bool,
                                           full_stop: bool, upper: bool) -> None:
    text = f"{'Senast ' if senast else ''}{day} {month} {year}{'.' if full_stop else ''}"
    schedule = parse_timeline(text.upper() if upper else text, CTX)
    assert schedule == Deadline(due=date(year, MONTHS[month], day))


@settings(max_examples=100, deadline=None)
@given(year=YEARS, part=st.sampled_from(sorted(PARTS)), quarter=st.integers(1, 4))
def test_parts_of_a_year_are_windows_inside_it(year: int, part: str, quarter: int) -> None:
    for text in (f"{part} {year}", f"Q{quarter} {year}", f"kvartal {quarter} {year}"):
        schedule = parse_timeline(text, CTX)
        assert isinstance(schedule, Window)
        assert date(year, 1, 1) <= schedule.start < schedule.end <= date(year, 12, 31)


@settings(max_examples=100, deadline=None)
@given(first=YEARS, length=st.integers(0, 8), dash=st.sampled_from(["-", "–", "—", " - ", "/"]))
def test_year_ranges_keep_their_years_whatever_the_dash(first: int, length: int,
                                                        dash: str) -> None:
    last = min(first + length, 2200)
    schedule = parse_timeline(f"{first}{dash}{last}", CTX)
    assert schedule == Window(start=date(first, 1, 1), end=date(last, 12, 31))
