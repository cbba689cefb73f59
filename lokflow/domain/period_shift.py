"""A timeline for a new period: renegotiation carries open work into a new
plan version, but not its old dates (a plan's dates lie within its period).
Pure: the caller marks the result inferred, so the coordinator sees that it
is a proposal and not the source's words."""

from __future__ import annotations

from datetime import date

from lokflow.domain.timelines import (
    Deadline,
    Ongoing,
    TimelineContext,
    TimelineError,
    Window,
    Yearly,
    parse_timeline,
)


def timeline_in_period(timeline: str, context: TimelineContext) -> str | None:
    """A timeline whose dates start in the period that starts at
    `context.period_start`, or None when `timeline` already does (or cannot be
    read: validation then names it)."""
    first = context.period_start
    if first is None:
        return None
    try:
        schedule = parse_timeline(timeline, context)
    except TimelineError:
        return None
    if isinstance(schedule, Deadline) and schedule.due < first:
        return f"Under {first.year}"
    if isinstance(schedule, Window) and schedule.start < first:
        return _window_from(first, schedule.end)
    if isinstance(schedule, Ongoing) and _before(first, schedule.start,
                                                 schedule.initial_deadline):
        return "Löpande"
    if isinstance(schedule, Yearly) and _before(first, schedule.start):
        return "Årligen"
    return None


def _window_from(first: date, end: date) -> str:
    """The part of a window that is left, or the new period's first year."""
    return f"{first.year}-{end.year}" if end.year > first.year else f"Under {first.year}"


def _before(first: date, *days: date | None) -> bool:
    return any(day is not None and day < first for day in days)
