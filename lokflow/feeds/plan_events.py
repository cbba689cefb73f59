"""The events of a plan itself (a pure function): the annual follow-up, the
deadline of each reporting round, dialogue meetings, evaluations and
renegotiations. Each is one recurring event over the plan's period.

A reporting round ends on the follow-up day (see `domain.round_actions`); a
round the engine has opened with another deadline moves that year's
occurrence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from lokflow.domain.occurrences import PlanCalendar
from lokflow.domain.timelines import MonthDay
from lokflow.feeds.event_series import EventMeta, Mark, series
from lokflow.feeds.identity import uid
from lokflow.feeds.model import EventText, FeedEvent
from lokflow.feeds.yearly_rules import month_day_rules
from lokflow.texts.feeds import words
from lokflow.texts.inferred import inferred_note


@dataclass(frozen=True)
class Cadence:
    first_after: int | None
    every: int
    note: str | None = None


@dataclass(frozen=True)
class RoundInput:
    year: int
    opens_on: date
    deadline: date


@dataclass(frozen=True)
class PlanInput:
    slug: str
    short_name: str
    title: str
    calendar: PlanCalendar
    period_start: int
    adopted: date | None
    annual_note: str | None
    round_weeks: int
    dialogue_dates: tuple[MonthDay, ...]
    dialogue_note: str | None
    evaluation: Cadence | None
    renegotiation: Cadence | None
    rounds: tuple[RoundInput, ...]
    stamp: datetime
    sequence: int
    inferred: tuple[str, ...] = ()
    """`annual_date` when the follow-up day is not in the source; `dialogue_dates`
    when the dialogue meetings' days are not."""


def plan_events(
    plan: PlanInput, *, language: str, horizon: date, meta: EventMeta
) -> list[FeedEvent]:
    w = words(language)
    last_year = (plan.calendar.period_end or horizon).year
    years = range(plan.period_start, last_year + 1)
    annual = plan.calendar.annual_date
    on_annual = ("annual_date",) if "annual_date" in plan.inferred else ()
    found = [
        _yearly(plan, "annual-follow-up", [annual], years, meta,
                _text(plan, w["annual"], plan.annual_note, language, on_annual)),
        _yearly(plan, "reporting-round", [annual], years, meta,
                _text(plan, w["round"], w["round_opens"].format(weeks=plan.round_weeks),
                      language, on_annual),
                moved={str(r.year): r.deadline for r in plan.rounds
                       if r.deadline != annual.in_year(r.year)}),
    ]
    if plan.dialogue_dates:
        dialogue = ("dates",) if "dialogue_dates" in plan.inferred else ()
        text = _text(plan, w["dialogue"], plan.dialogue_note, language, dialogue)
        found += [_yearly(plan, "dialogue" if i == 0 else f"dialogue-d{days[0].day}", list(days),
                          years, meta, text)
                  for i, (_, days) in enumerate(month_day_rules(plan.dialogue_dates, until=None))]
    for part, cadence in (("evaluation", plan.evaluation), ("renegotiation", plan.renegotiation)):
        if cadence is not None:
            found.append(_cadence(plan, part, cadence, last_year, meta,
                                  _text(plan, w[part], cadence.note, language, on_annual)))
    return [event for event in found if event is not None]


def _yearly(
    plan: PlanInput, part: str, days: list[MonthDay], years: range, meta: EventMeta,
    text: Callable[[Mark | None, date | None], EventText], *, interval: int = 1,
    moved: dict[str, date] | None = None,
) -> FeedEvent | None:
    until = plan.calendar.period_end
    rule = month_day_rules(days, until=until, interval=interval)[0][0]
    dates = sorted((d.in_year(y), y) for y in years for d in days)
    keyed = [(str(y) if len(days) == 1 else day.isoformat(), day) for day, y in dates]
    return series(uid(plan.slug, part), rule, keyed, bounded=until is not None,
                  text_for=text, meta=meta, marks={}, moved=moved or {})


def _cadence(
    plan: PlanInput, part: str, cadence: Cadence, last_year: int, meta: EventMeta,
    text: Callable[[Mark | None, date | None], EventText],
) -> FeedEvent | None:
    base = plan.adopted.year if plan.adopted else plan.period_start
    first = base + (cadence.first_after or cadence.every)
    years = range(first, last_year + 1, cadence.every)
    return _yearly(plan, part, [plan.calendar.annual_date], years, meta, text,
                   interval=cadence.every)


def _text(
    plan: PlanInput, what: str, note: str | None, language: str,
    inferred: tuple[str, ...] = (),
) -> Callable[[Mark | None, date | None], EventText]:
    w = words(language)
    marked = inferred_note(inferred, language)

    def text_for(mark: Mark | None, moved_from: date | None) -> EventText:
        lines = [plan.title, *([note] if note else []), *([marked] if marked else [])]
        if moved_from:
            lines.append(f"{w['moved']} {moved_from.isoformat()}.")
        return EventText(summary=f"{plan.short_name}: {what}", description="\n".join(lines),
                         categories=(plan.short_name, w["follow_up"]))

    return text_for
