"""What was actually sent about each occurrence: the facts that keep an
escalation from ever coming before a notice to the owners.

The engine reads it from the outbox in one grouped query; the decision
function (`due_actions.decide`) gets it as plain data, so it stays pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class OccurrenceHistory:
    """Notices about one occurrence of one activity, by the day they went out.

    `told`: the last day the owners got a reminder or a late notice.
    `late`: the last day the owners got a late notice.
    `levels`: the first day each escalation level went out (a late notice that
    stood in for an owners' level counts as that level).
    `pending`: something about this occurrence is queued but not yet sent.
    """

    told: date | None = None
    late: date | None = None
    levels: Mapping[int, date] = field(default_factory=dict)
    pending: bool = False

    @property
    def anything(self) -> bool:
        return self.pending or self.told is not None or bool(self.levels)


NO_HISTORY = OccurrenceHistory()
HistoryKey = tuple[int, str]
History = Mapping[HistoryKey, OccurrenceHistory]


@dataclass(frozen=True)
class SentNotice:
    """One delivered (or pending) notice, as the outbox remembers it."""

    activity_id: int
    occurrence_key: str
    kind: str
    level: int
    day: date
    pending: bool = False


def build_history(notices: Iterable[SentNotice]) -> dict[HistoryKey, OccurrenceHistory]:
    """Fold notices into one history per occurrence."""
    told: dict[HistoryKey, date] = {}
    late: dict[HistoryKey, date] = {}
    levels: dict[HistoryKey, dict[int, date]] = {}
    pending: set[HistoryKey] = set()
    for notice in notices:
        key = (notice.activity_id, notice.occurrence_key)
        levels.setdefault(key, {})
        if notice.pending:
            pending.add(key)
            continue
        if notice.kind in ("reminder", "late"):
            told[key] = max(told.get(key, notice.day), notice.day)
        if notice.kind == "late":
            late[key] = max(late.get(key, notice.day), notice.day)
        if notice.kind in ("escalation", "late") and notice.level > 0:
            known = levels[key].get(notice.level)
            levels[key][notice.level] = min(known, notice.day) if known else notice.day
    return {
        key: OccurrenceHistory(told=told.get(key), late=late.get(key), levels=found,
                               pending=key in pending)
        for key, found in levels.items()
    }
