"""The timeline language of LÖK action plans.

Plans say when things happen in words (`2022-2023`, `Årligen`, `Löpande`,
`Vid behov`, `2022 och framåt`). This module turns those words into a typed
schedule; the written text is always kept beside it by the caller. Anything
it does not recognise is an error listing the accepted forms, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lokflow.domain.recurrence_rules import rule_problem

ACCEPTED_FORMS = "the phrase table in README 'Writing a plan'"


class TimelineError(ValueError):
    """A timeline text that is not in the timeline language."""

    def __init__(self, text: str, reason: str | Callable[[], str] = "") -> None:
        """`reason` may be a function: a suggestion is worked out only when the
        message is read (a hostile file has thousands of bad timelines, and
        only the first 100 errors are shown)."""
        super().__init__(text)
        self.text = text
        self.reason = reason

    def __str__(self) -> str:
        reason = self.reason() if callable(self.reason) else self.reason
        why = f" ({reason})" if reason else ""
        shown = repr(self.text if len(self.text) <= 80 else self.text[:80] + "…")
        return f"cannot read the timeline {shown}{why}; accepted forms: see {ACCEPTED_FORMS}"


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of the year without a year, written 'MM-DD' (e.g. '11-15')."""

    month: int
    day: int

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        match = re.fullmatch(r"(?:--)?(\d{1,2})-(\d{1,2})", text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a day of the year written MM-DD, e.g. '11-15'")
        month, day = int(match.group(1)), int(match.group(2))
        date(2024, month, day)  # leap year: accepts 02-29, rejects 02-30 and 13-01
        return cls(month, day)

    def in_year(self, year: int) -> date:
        """This day in `year`; 29 February becomes 28 February in common years."""
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return date(year, self.month, self.day - 1)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class TimelineContext:
    """What a plan says that timeline words depend on."""

    annual_date: MonthDay
    adopted: date | None = None
    period_start: date | None = None
    checkins_per_year: int = 2
    named_dates: tuple[tuple[str, str], ...] = ()
    """The plan's named days ('budget' -> 'MM-DD' or 'budget 2026' -> an ISO date)."""


class _Schedule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Deadline(_Schedule):
    """Done by one date: a year ('2023' -> 31 Dec) or an ISO date."""

    kind: Literal["deadline"] = "deadline"
    due: date


class Window(_Schedule):
    """Carried out within a period ('2022-2023'); due at its end."""

    kind: Literal["window"] = "window"
    start: date
    end: date


class Yearly(_Schedule):
    """Every year on one day ('Årligen'), from `start` on."""

    kind: Literal["yearly"] = "yearly"
    month: int
    day: int
    start: date | None = None

    @property
    def month_day(self) -> MonthDay:
        return MonthDay(self.month, self.day)


class Ongoing(_Schedule):
    """Continuous work ('Löpande', '2022 och framåt') with periodic check-ins."""

    kind: Literal["ongoing"] = "ongoing"
    start: date | None = None
    initial_deadline: date | None = None
    checkins_per_year: int = Field(default=2, ge=1, le=12)


class OnDemand(_Schedule):
    """'Vid behov': no deadline; covered by the annual follow-up."""

    kind: Literal["on_demand"] = "on_demand"


class FollowedUp(_Schedule):
    """A commitment of attitude or rights ('visa respekt för …'): followed up
    in the joint assessment, so no dates, no check-ins and no round requests
    (the principle of independence: not a task to chase)."""

    kind: Literal["follow_up"] = "follow_up"


class Recurrence(_Schedule):
    """An explicit RFC 5545 RRULE for coordinators who want precision."""

    kind: Literal["rrule"] = "rrule"
    rrule: str
    dtstart: date


AnySchedule = Deadline | Window | Yearly | Ongoing | OnDemand | Recurrence | FollowedUp
Schedule = Annotated[AnySchedule, Field(discriminator="kind")]

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_RRULE_STARTS = ("rrule:", "freq=", "dtstart")
_TRAILING = " .,;:!"
FOLLOW_UP_WORDS = r"följs upp (?:i den gemensamma bedömningen|gemensamt)"
"""How a plan may write that a commitment is followed up jointly, not chased."""


def normalise(text: str) -> str:
    """Lower case, one space between words, every dash variant as '-', no
    trailing full stop."""
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return re.sub(r"\s+", " ", text).strip().lower().rstrip(_TRAILING).strip()


def follow_up_words(text: str) -> bool:
    """Whether a timeline says the item is followed up jointly ('Följs upp i
    den gemensamma bedömningen')."""
    return re.fullmatch(FOLLOW_UP_WORDS, normalise(text)) is not None


def is_rrule(text: str) -> bool:
    """Whether a timeline is written as an RFC 5545 rule rather than in words."""
    return normalise(text).startswith(_RRULE_STARTS)


def parse_timeline(
    text: str, context: TimelineContext, *, annual_date: MonthDay | None = None
) -> AnySchedule:
    """Parse one timeline text of a plan; `annual_date` is the activity's own day.
    The forms are the table in `timeline_grammar` (README's phrase table)."""
    from lokflow.domain.timeline_grammar import parse_words  # the grammar builds on this module

    if len(text) > 300:
        raise TimelineError(text, "a timeline is at most 300 characters")
    words = normalise(text)
    if not words:
        raise TimelineError(text, "it is empty")
    if words.startswith(_RRULE_STARTS):
        return _parse_rrule(text, context)
    words = re.sub(r"\s*-\s*", "-", words) if re.fullmatch(r"[\d\s-]+", words) else words
    words = re.sub(r"(\d{4}) ?- ?(\d{4})", r"\1-\2", words)
    return parse_words(words, text, context, annual_date or context.annual_date)


def _parse_rrule(text: str, ctx: TimelineContext) -> AnySchedule:
    """An RRULE a plan may use (see recurrence_rules): at most weekly, always due."""
    body = text.strip()
    dtstart = ctx.period_start or ctx.adopted
    match = re.search(r"DTSTART(?:;VALUE=DATE)?:(\d{8})", body, flags=re.IGNORECASE)
    if match:
        dtstart = _dtstart(match[1], text)
    if dtstart is None:
        raise TimelineError(text, "an RRULE needs a DTSTART or a plan period start")
    rule = next((line for line in body.splitlines() if "FREQ=" in line.upper()), "")
    if not rule:
        raise TimelineError(text, "the RRULE has no FREQ")
    rule = rule.strip()
    if not rule.upper().startswith("RRULE:"):
        rule = "RRULE:" + rule
    problem = rule_problem(rule, dtstart)
    if problem:
        raise TimelineError(text, problem)
    return Recurrence(rrule=rule, dtstart=dtstart)


def _dtstart(digits: str, text: str) -> date:
    year = int(digits[:4])
    if not 1900 <= year <= 2200:
        raise TimelineError(text, f"{year} is not a plausible year")
    try:
        return date(year, int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise TimelineError(text, f"DTSTART {digits} is not a date") from None

