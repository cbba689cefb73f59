"""Which activity lines a coordinator's table shows, and in what order:
text search, filters (owner, party, principle, status, overdue, due within N
days or between two dates, missing in the round, waiting date proposals) and
a sort. One definition for the web table, its CSV/XLSX export, the JSON API
and `lokflow export`, read from the same query parameters everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from lokflow.reporting.activity_lines import ActivityLine

NO_STATUS = "none"
STATUSES = ("not_started", "in_progress", "done", "delayed", "paused", "cancelled", NO_STATUS)
PARTIES = ("municipality", "civil_society", "joint")
SORTS = ("position", "number", "text", "owner", "party", "status", "due", "overdue",
         "escalation", "plan")
MAX_TEXT = 100
MAX_DAYS = 3660
FLAGS = ("overdue", "round", "pending")


class QueryProblem(ValueError):
    """A parameter a table cannot use; `field` names it for the form."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class ActivityQuery:
    text: str = ""
    owner: str = ""
    party: str = ""
    principle: str = ""
    status: str = ""
    overdue: bool = False
    round: bool = False
    pending: bool = False
    within: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    plan: str = ""
    sort: str = "position"
    descending: bool = False

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> tuple[ActivityQuery, list[str]]:
        """The query, and the names of the parameters that were not usable
        (those are left out, so the table still shows)."""
        problems: list[str] = []
        found: dict[str, Any] = {}
        for name, rule in _RULES.items():
            raw = values.get(_PARAM.get(name, name), "")
            if raw in ("", None):
                continue
            try:
                found[name] = rule(str(raw))
            except QueryProblem:
                problems.append(_PARAM.get(name, name))
        query = cls(**found)
        if query.due_from and query.due_to and query.due_from > query.due_to:
            problems.append("to")
            query = replace(query, due_to=None)
        return query, problems

    def params(self, **changes: Any) -> dict[str, str]:
        """The query as URL parameters (only what differs from the default)."""
        query = replace(self, **changes)
        default = ActivityQuery()
        found = {}
        for item in fields(self):
            value = getattr(query, item.name)
            if value == getattr(default, item.name):
                continue
            if item.name == "descending":
                value = "desc"
            found[_PARAM.get(item.name, item.name)] = (
                "1" if value is True else value.isoformat() if isinstance(value, date)
                else str(value))
        return found

    def apply(self, lines: Iterable[ActivityLine], today: date,
              plan_of: Callable[[int], str] = str) -> list[ActivityLine]:
        """The lines this query shows, sorted."""
        chosen = [line for line in lines if self._keeps(line, today, plan_of)]
        return sorted(chosen, key=_sort_key(self.sort, plan_of), reverse=self.descending)

    def _keeps(self, line: ActivityLine, today: date, plan_of: Callable[[int], str]) -> bool:
        """Whether the line passes every filter (the cheap ones first)."""
        if self.overdue and line.overdue_since is None:
            return False
        if self.round and (not line.in_round or line.answered):
            return False
        if self.pending and not line.pending_dates:
            return False
        if self.party and line.party != self.party:
            return False
        if self.status and (line.status or NO_STATUS) != self.status:
            return False
        if self.principle and line.principle != self.principle:
            return False
        if self.owner and all(k != self.owner for k, _ in line.owners):
            return False
        if not self._due_ok(line.next_due, today):
            return False
        if self.plan and plan_of(line.plan_id) != self.plan:
            return False
        return not self.text or _matches_text(line, self.text)

    def _due_ok(self, due: date | None, today: date) -> bool:
        if self.within is None and self.due_from is None and self.due_to is None:
            return True
        if due is None:
            return False
        if self.within is not None and not today <= due <= today + timedelta(days=self.within):
            return False
        if self.due_from is not None and due < self.due_from:
            return False
        return self.due_to is None or due <= self.due_to


def _matches_text(line: ActivityLine, text: str) -> bool:
    wanted = text.casefold()
    haystack = " ".join([line.key, line.number or "", line.text, line.timeline,
                         *(name for _, name in line.owners)]).casefold()
    return all(word in haystack for word in wanted.split())


def _text(raw: str) -> str:
    text = raw.strip()
    if len(text) > MAX_TEXT or any(ord(c) < 32 for c in text):
        raise QueryProblem("q")
    return text


def _key(raw: str) -> str:
    if len(raw) > 64 or not all(c.isalnum() or c in "-_." for c in raw):
        raise QueryProblem("key")
    return raw


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def rule(raw: str) -> str:
        if raw not in choices:
            raise QueryProblem("choice")
        return raw
    return rule


def _flag(raw: str) -> bool:
    if raw not in ("1", "on", "true"):
        raise QueryProblem("flag")
    return True


def _days(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or not 0 <= int(raw) <= MAX_DAYS:
        raise QueryProblem("days")
    return int(raw)


def _day(raw: str) -> date:
    try:
        if len(raw) != 10 or not raw.isascii():
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise QueryProblem("day") from None


def _order(raw: str) -> bool:
    if raw not in ("asc", "desc"):
        raise QueryProblem("order")
    return raw == "desc"


_RULES: dict[str, Callable[[str], Any]] = {
    "text": _text, "owner": _key, "party": _one_of(PARTIES), "principle": _key,
    "status": _one_of(STATUSES), "overdue": _flag, "round": _flag, "pending": _flag,
    "within": _days, "due_from": _day, "due_to": _day, "plan": _key,
    "sort": _one_of(SORTS), "descending": _order,
}
_PARAM = {"text": "q", "due_from": "from", "due_to": "to", "descending": "order"}
LATEST = date.max
PlanName = Callable[[int], str]


def _natural(label: str) -> tuple[Any, ...]:
    """'1.10' after '1.9': numbers compare as numbers."""
    return tuple((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk.casefold())
                 for chunk in label.replace("-", ".").split("."))


def _party(party: str) -> int:
    return PARTIES.index(party) if party in PARTIES else len(PARTIES)


def _sort_key(sort: str, plan: PlanName) -> Callable[[ActivityLine], Any]:
    def key(a: ActivityLine) -> Any:
        order = (plan(a.plan_id), a.position)
        if sort == "text":
            return (a.text.casefold(), order)
        if sort == "owner":
            return (", ".join(n for _, n in a.owners).casefold(), order)
        if sort == "party":
            return (_party(a.party), order)
        if sort == "status":
            return (STATUSES.index(a.status or NO_STATUS), order)
        if sort == "due":
            return (a.next_due or LATEST, order)
        if sort == "overdue":
            return (a.overdue_since or LATEST, order)
        if sort == "escalation":  # the highest level first, then overdue the longest
            return (-a.escalation, a.overdue_since or LATEST, order)
        if sort == "number":  # as labelled: "Kommunen 1.2" before "Kommunen 1.10"
            return (plan(a.plan_id), _party(a.party), _natural(a.label), a.position)
        return order
    return key
