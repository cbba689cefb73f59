"""The Swedish words of timelines: months, seasons, terms, quarters and
half-years, each as the days of one year it covers."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

# (first month, first day, last month, last day) of each named part of a year
PARTS = {
    "våren": (1, 1, 6, 30), "vårterminen": (1, 1, 6, 30), "vt": (1, 1, 6, 30),
    "sommaren": (6, 1, 8, 31),
    "hösten": (8, 1, 12, 31), "höstterminen": (8, 1, 12, 31), "ht": (8, 1, 12, 31),
    "första halvåret": (1, 1, 6, 30), "andra halvåret": (7, 1, 12, 31),
    "början av": (1, 1, 3, 31), "slutet av": (10, 1, 12, 31),
}
PART = "(" + "|".join(sorted(PARTS, key=len, reverse=True)) + ")"

# how many check-ins a year a recurring phrase asks for
EVERY = {
    "varje månad": 12, "månadsvis": 12, "en gång i månaden": 12, "en gång per månad": 12,
    "varje kvartal": 4, "kvartalsvis": 4, "en gång per kvartal": 4,
    "varje tertial": 3, "tre gånger per år": 3, "tre gånger om året": 3,
    "varje termin": 2, "varje halvår": 2, "två gånger per år": 2, "två gånger om året": 2,
    "halvårsvis": 2,
}
EVERY_WORDS = "(" + "|".join(sorted(EVERY, key=len, reverse=True)) + ")"

ONGOING_WORDS = ("löpande", "kontinuerligt", "fortlöpande", "pågående", "hela perioden",
                 "under hela perioden", "hela avtalsperioden", "ständigt pågående")
YEARLY_WORDS = ("årligen", "varje år", "en gång per år", "en gång om året", "årlig",
                "återkommande varje år")


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def part_span(year: int, part: str) -> tuple[date, date]:
    first_month, first_day, last_month, last_day = PARTS[part]
    return date(year, first_month, first_day), date(year, last_month, last_day)


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    return start, month_span(year, 3 * quarter)[1]


def week_span(year: int, week: int) -> tuple[date, date]:
    """ISO week `week` of `year`: Monday to Sunday."""
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)
