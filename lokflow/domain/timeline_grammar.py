"""The written grammar of timelines: a table of forms, each a pattern over
the normalised words, the schedule kind it gives, an example and what it
means. README's phrase table is this table; `parse` tries the forms in order
and, for anything else, names the nearest form and how to say it exactly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lokflow.domain.timeline_words import (
    EVERY,
    EVERY_WORDS,
    MONTH,
    MONTHS,
    ONGOING_WORDS,
    PART,
    YEARLY_WORDS,
    month_span,
    part_span,
    quarter_span,
    week_span,
)
from lokflow.domain.timelines import (
    FOLLOW_UP_WORDS,
    AnySchedule,
    Deadline,
    FollowedUp,
    MonthDay,
    OnDemand,
    Ongoing,
    Recurrence,
    TimelineContext,
    TimelineError,
    Window,
    Yearly,
)

Match = re.Match[str]


@dataclass(frozen=True)
class Parse:
    """One parse: its match, the plan's context, the activity's own day."""

    m: Match
    ctx: TimelineContext
    day: MonthDay
    text: str

    def year(self, group: int | str = "y") -> int:
        value = int(self.m.group(group))
        if not 1900 <= value <= 2200:
            raise TimelineError(self.text, f"{value} is not a plausible year")
        return value

    def span(self) -> tuple[date, date]:
        first, last = self.year("a"), self.year("b")
        if last < first:
            raise TimelineError(self.text, "the range ends before it starts")
        return date(first, 1, 1), date(last, 12, 31)

    def on(self, year: int, month: int, day: int) -> date:
        try:
            return date(year, month, day)
        except ValueError:
            raise TimelineError(self.text, f"{year}-{month:02d}-{day:02d} is not a date") from None

    def iso(self, group: str) -> date:
        try:
            return date.fromisoformat(self.m.group(group))
        except ValueError as error:
            raise TimelineError(self.text, str(error)) from None


@dataclass(frozen=True)
class Form:
    kind: str
    pattern: str
    example: str
    meaning: str
    build: Callable[[Parse], AnySchedule]


Y = r"(?P<y>\d{4})"
RANGE = r"(?P<a>\d{4}) ?(?:-|/|till) ?(?P<b>\d{4})"
ISO = r"(?P<d>\d{4}-\d{2}-\d{2})"
DAY_MONTH = rf"(?P<dd>\d{{1,2}}) {MONTH}"
SENAST = r"(?:(?:klart|klar|färdigt|genomfört|genomförd) )?(?:senast )?(?:(?:i|under) )?"


def _window(start: date, end: date) -> Window:
    return Window(start=start, end=end)


def _ongoing(p: Parse, start: date | None, per_year: int | None = None) -> Ongoing:
    return Ongoing(start=start, checkins_per_year=per_year or p.ctx.checkins_per_year)


def _named(p: Parse) -> AnySchedule:
    name, year = p.m.group("n").strip(), p.m.group("y")
    named = dict(p.ctx.named_dates)
    if year and f"{name} {year}" in named:
        return Deadline(due=date.fromisoformat(named[f"{name} {year}"]))
    if name not in named:
        known = ", ".join(sorted(named)) or "none"
        raise TimelineError(p.text, f"the plan names no date {name!r} (named_dates: {known}); "
                                    f"add e.g. named_dates: {{{name}: \"10-15\"}} to the plan")
    day = MonthDay.parse(named[name]) if len(named[name]) <= 5 else None
    if day is None:
        return Deadline(due=date.fromisoformat(named[name]))
    if year:
        return Deadline(due=day.in_year(p.year()))
    return Yearly(month=day.month, day=day.day, start=p.ctx.period_start)


def _yearly_in_month(p: Parse) -> AnySchedule:
    month = MONTHS[p.m.group(2) if p.m.lastindex and p.m.lastindex >= 2 else p.m.group(1)]
    return Yearly(month=month, day=month_span(2024, month)[1].day, start=p.ctx.period_start)


def _yearly_between(p: Parse) -> AnySchedule:
    start, end = p.span()
    rule = (f"RRULE:FREQ=YEARLY;BYMONTH={p.day.month};BYMONTHDAY={p.day.day};"
            f"UNTIL={end:%Y%m%d}")
    return Recurrence(rrule=rule, dtstart=start)


def _year_end(p: Parse) -> AnySchedule:
    year = p.year() if p.m.group("y") else (p.ctx.period_start or date.today()).year
    return Deadline(due=date(year, 12, 31))


FORMS: tuple[Form, ...] = (
    Form("window", rf"(?:under|hela) {Y}", "Under 2025", "carried out during 2025",
         lambda p: _window(date(p.year(), 1, 1), date(p.year(), 12, 31))),
    Form("deadline", rf"{SENAST}{Y}", "2023", "done by 31 December 2023",
         lambda p: Deadline(due=date(p.year(), 12, 31))),
    Form("window", rf"(?:under )?{RANGE}", "2022–2023", "carried out 2022 to 2023; due at its end",
         lambda p: _window(*p.span())),
    Form("deadline", rf"{SENAST}{ISO}", "2025-03-31", "done by that day",
         lambda p: Deadline(due=p.iso("d"))),
    Form("window", r"(?P<d>\d{4}-\d{2}-\d{2}) ?(?:\.\.|-|/|till) ?(?P<e>\d{4}-\d{2}-\d{2})",
         "2025-01-01..2025-06-30", "carried out between two days",
         lambda p: _window(*sorted((p.iso("d"), p.iso("e"))))),
    Form("deadline", rf"{SENAST}{DAY_MONTH},? {Y}", "Senast 30 juni 2026",
         "done by 30 June 2026",
         lambda p: Deadline(due=p.on(p.year(), MONTHS[p.m.group(2)], int(p.m.group("dd"))))),
    Form("deadline", rf"{SENAST}(?P<dd>\d{{1,2}})/(?P<mm>\d{{1,2}}),? {Y}", "Senast 30/6 2026",
         "done by 30 June 2026",
         lambda p: Deadline(due=p.on(p.year(), int(p.m.group("mm")), int(p.m.group("dd"))))),
    Form("window", rf"{SENAST}{MONTH},? {Y}", "juni 2025", "during June 2025; due on 30 June",
         lambda p: _window(*month_span(p.year(), MONTHS[p.m.group(1)]))),
    Form("window", rf"(?:senast )?(?:under |i )?(?:q|kv|kvartal) ?(?P<q>[1-4]),? {Y}",
         "Q3 2025", "during July–September 2025 (also 'kvartal 3 2025')",
         lambda p: _window(*quarter_span(p.year(), int(p.m.group("q"))))),
    Form("window", rf"(?:senast )?(?:under |i )?{PART},? {Y}", "Hösten 2025",
         "autumn 2025, 1 Aug–31 Dec (also våren, vårterminen, första halvåret, slutet av …)",
         lambda p: _window(*part_span(p.year(), p.m.group(1)))),
    Form("window", rf"(?:senast )?(?:under )?(?:vecka|v\.?) ?(?P<w>\d{{1,2}}),? {Y}",
         "Vecka 12 2026", "ISO week 12 of 2026, Monday to Sunday",
         lambda p: _window(*_week(p))),
    Form("deadline", rf"senast (?:vid|till) årsskiftet(?: {Y}(?:/\d{{4}})?)?",
         "Senast vid årsskiftet", "done by 31 December (of the plan's first year unless written)",
         _year_end),
    Form("yearly", "(?:" + "|".join(YEARLY_WORDS) + ")", "Årligen",
         "every year on the activity's annual_date, else the plan's follow-up date",
         lambda p: Yearly(month=p.day.month, day=p.day.day, start=p.ctx.period_start)),
    Form("yearly", rf"(?:{'|'.join(YEARLY_WORDS)}),? (?:i|under|senast i) {MONTH}",
         "Årligen i mars", "every year by the end of March",
         lambda p: _yearly_in_month(p)),
    Form("rrule", rf"{RANGE},? (?:{'|'.join(YEARLY_WORDS)})", "2025–2027, årligen",
         "every year from 2025 to 2027 on the activity's day", _yearly_between),
    Form("rrule", rf"(?:{'|'.join(YEARLY_WORDS)}),? {RANGE}", "Årligen 2025–2027",
         "the same, year range last", _yearly_between),
    Form("ongoing", "(?:" + "|".join(ONGOING_WORDS) + ")", "Löpande",
         "continuous work with check-ins (also fortlöpande, kontinuerligt, pågående)",
         lambda p: _ongoing(p, p.ctx.period_start)),
    Form("ongoing", EVERY_WORDS, "Varje kvartal",
         "check-ins 4 times a year (varje månad 12, varje termin 2, två gånger per år 2 …)",
         lambda p: _ongoing(p, p.ctx.period_start, EVERY[p.m.group(1)])),
    Form("on_demand", "vid behov", "Vid behov", "no date; covered by the annual follow-up",
         lambda p: OnDemand()),
    Form("follow_up", FOLLOW_UP_WORDS, "Följs upp i den gemensamma bedömningen",
         "a commitment followed up in both parties' joint assessment: no dates, no "
         "reminders (also 'Följs upp gemensamt')", lambda p: FollowedUp()),
    Form("ongoing",
         rf"(?:från|fr\.?o\.?m\.?|from|start|startar|påbörjas) {Y}|(?P<z>\d{{4}}) och framåt",
         "Från 2025", "continuous from 2025 (also '2025 och framåt', 'Start 2025')",
         lambda p: _ongoing(p, date(_either(p), 1, 1))),
    Form("ongoing", rf"(?:start|startar|påbörjas|från) {PART},? {Y}", "Start hösten 2025",
         "continuous from the start of autumn 2025",
         lambda p: _ongoing(p, part_span(p.year(), p.m.group(1))[0])),
    Form("ongoing", rf"{RANGE} och framåt", "2022-2023 och framåt",
         "due at the end of 2023, then continuous",
         lambda p: Ongoing(start=p.span()[0], initial_deadline=p.span()[1],
                           checkins_per_year=p.ctx.checkins_per_year)),
    Form("yearly", rf"start {Y} i samband med att överenskommelsen antas",
         "Start 2022 i samband med att överenskommelsen antas",
         "yearly from the day the agreement was adopted",
         lambda p: Yearly(month=p.day.month, day=p.day.day,
                          start=p.ctx.adopted if p.ctx.adopted and p.ctx.adopted.year == p.year()
                          else date(p.year(), 1, 1))),
    Form("deadline", rf"(?:senast )?inför (?P<n>[a-zåäö][a-zåäö ]*?)(?: {Y})?",
         "Inför budget 2026", "the plan's named date 'budget' (named_dates) in 2026",
         _named),
)


def _either(p: Parse) -> int:
    return p.year("y") if p.m.group("y") else p.year("z")


def _week(p: Parse) -> tuple[date, date]:
    try:
        return week_span(p.year(), int(p.m.group("w")))
    except ValueError:
        raise TimelineError(p.text, f"{p.year()} has no week {p.m.group('w')}") from None


COMPILED = tuple((re.compile(form.pattern), form) for form in FORMS)


def parse_words(words: str, text: str, ctx: TimelineContext, day: MonthDay) -> AnySchedule:
    """The schedule of normalised `words` (the plan's `text` kept for errors)."""
    for pattern, form in COMPILED:
        match = pattern.fullmatch(words)
        if match:
            return form.build(Parse(match, ctx, day, text))
    raise TimelineError(text, lambda: suggestion(words))


def _likeness(words: str, form: Form) -> float:
    """How close `words` are to a form: shared words count most, then spelling."""
    example = form.example.lower().replace("–", "-")
    mine = set(re.findall(r"[a-zåäö]{2,}", words))
    theirs = set(re.findall(r"[a-zåäö]{2,}", f"{example} {form.meaning.lower()}"))
    years = bool(re.search(r"\d{4}", words)) == bool(re.search(r"\d{4}", example))
    return (len(mine & theirs) + 0.5 * years
            + difflib.SequenceMatcher(None, words, example).ratio())


def suggestion(words: str) -> str:
    """The nearest accepted form and how to say it exactly."""
    form = max(FORMS, key=lambda f: _likeness(words, f))
    hint = f"nearest accepted form: '{form.example}' ({form.kind}: {form.meaning})"
    has_month = any(re.search(rf"\b{m}\b", words) for m in MONTHS)
    if has_month and not re.search(r"\d{4}", words):
        hint += ("; for every year write 'Årligen i <month>', or 'Årligen' with the "
                 "activity's annual_date: \"MM-DD\"; for once add the year, e.g. 'mars 2026'")
    else:
        hint += "; to be exact, write an ISO date such as 2026-03-31"
    return hint
