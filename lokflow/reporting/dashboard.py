"""The coordinator's dashboards, counted from activity lines: per plan (what is
overdue, due within 30 days, missing in the open round, waiting for a date
decision; the round's progress per owner; statuses per party and principle)
and across an organisation's plans. Every count has the query that lists it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.reporting.activity_lines import ActivityLine
from lokflow.reporting.activity_query import NO_STATUS, PARTIES, ActivityQuery
from lokflow.store import tables as t

SOON_DAYS = 30
OPEN = "open"


@dataclass(frozen=True)
class Count:
    """A number on a dashboard and the table query that lists what it counts."""

    name: str
    value: int
    query: ActivityQuery


@dataclass(frozen=True)
class OwnerProgress:
    key: str
    name: str
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


@dataclass(frozen=True)
class RoundProgress:
    year: int
    deadline: date
    answered: int
    total: int
    owners: list[OwnerProgress]

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


@dataclass(frozen=True)
class Breakdown:
    """Statuses counted per group (party or principle), in display order."""

    key: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanDashboard:
    plan: t.Plan
    activities: int
    counts: list[Count]
    round: RoundProgress | None
    parties: list[Breakdown]
    principles: list[Breakdown]
    escalations: dict[int, int]
    oldest_overdue: list[ActivityLine] = field(default_factory=list)

    def count(self, name: str) -> int:
        return next(c.value for c in self.counts if c.name == name)


def counts(lines: Sequence[ActivityLine], today: date) -> list[Count]:
    """The four numbers, each with its query."""
    queries = [("overdue", ActivityQuery(overdue=True, sort="overdue")),
               ("soon", ActivityQuery(within=SOON_DAYS, sort="due")),
               ("round", ActivityQuery(round=True, sort="owner")),
               ("pending", ActivityQuery(pending=True))]
    return [Count(name, len(query.apply(lines, today)), query) for name, query in queries]


def breakdown(lines: Iterable[ActivityLine], group: str,
              names: dict[str, str]) -> list[Breakdown]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        found[getattr(line, group) or ""][line.status or NO_STATUS] += 1
    order = list(names) + sorted(set(found) - set(names))
    return [Breakdown(key, names.get(key, key), dict(found[key])) for key in order
            if key in found]


def round_progress(session: Session, plan: t.Plan,
                   lines: Sequence[ActivityLine]) -> RoundProgress | None:
    """The open round's answers, in total and per owner (the round's own rules)."""
    row = session.scalar(select(t.ReportingRound).where(
        t.ReportingRound.plan_id == plan.id, t.ReportingRound.status == OPEN)
        .order_by(t.ReportingRound.year.desc()).limit(1))
    if row is None:
        return None
    asked = [line for line in lines if line.in_round]
    per_owner: dict[str, list[ActivityLine]] = defaultdict(list)
    names: dict[str, str] = {}
    for line in asked:
        for key, name in line.owners:
            per_owner[key].append(line)
            names[key] = name
    owners = sorted((OwnerProgress(key, names[key], sum(a.answered for a in found), len(found))
                     for key, found in per_owner.items()),
                    key=lambda o: (o.answered / o.total, o.name.casefold()))
    return RoundProgress(row.year, row.deadline, sum(a.answered for a in asked), len(asked),
                         owners)


def plan_dashboard(session: Session, plan: t.Plan, lines: Sequence[ActivityLine],
                   today: date, party_names: dict[str, str]) -> PlanDashboard:
    principles = {key: name for key, name in session.execute(
        select(t.Principle.key, t.Principle.name).where(
            t.Principle.plan_id == plan.id, t.Principle.archived.is_(False))
        .order_by(t.Principle.position))}
    overdue = sorted((a for a in lines if a.overdue_since), key=lambda a: a.overdue_since
                     or date.max)
    return PlanDashboard(
        plan=plan, activities=len(lines), counts=counts(lines, today),
        round=round_progress(session, plan, lines),
        parties=breakdown(lines, "party", {p: party_names[p] for p in PARTIES}),
        principles=breakdown(lines, "principle", principles) if principles else [],
        escalations=dict(Counter(a.escalation for a in overdue)),
        oldest_overdue=overdue[:10])


@dataclass(frozen=True)
class PlanRow:
    """One plan on the organisation's dashboard (plain values: kept between requests)."""

    slug: str
    name: str
    organisation: str
    activities: int
    counts: dict[str, int]
    answered: int
    asked: int
    by_party: dict[str, dict[str, int]]

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None

    def sort_value(self, name: str) -> Any:
        if name in self.counts:
            return self.counts[name]
        if name == "rate":
            return -1 if self.percent is None else self.percent
        if name == "activities":
            return self.activities
        return (self.organisation.casefold(), self.name.casefold())


def plan_row(plan: t.Plan, lines: Sequence[ActivityLine], today: date) -> PlanRow:
    asked = [a for a in lines if a.in_round]
    parties: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        parties[line.party][line.status or NO_STATUS] += 1
    return PlanRow(plan.slug, plan.short_name, plan.organisation.name, len(lines),
                   {c.name: c.value for c in counts(lines, today)},
                   sum(a.answered for a in asked), len(asked),
                   {k: dict(v) for k, v in parties.items()})


def total_counts(rows: Sequence[PlanRow], today: date) -> list[Count]:
    """The organisation's four numbers: the plans' summed."""
    return [Count(c.name, sum(r.counts[c.name] for r in rows), c.query)
            for c in counts([], today)]


def total_parties(rows: Sequence[PlanRow], names: dict[str, str]) -> list[Breakdown]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        for party, statuses in row.by_party.items():
            found[party].update(statuses)
    order = [p for p in names if p in found] + sorted(set(found) - set(names))
    return [Breakdown(key, names.get(key, key), dict(found[key])) for key in order]
