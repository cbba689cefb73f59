"""Follow-up per principle: how many activities stand at each status, per
principle and per party, from each activity's latest report.

The annual report counts the same way from its snapshot; the public page
and the coordinator's dashboard (branch `coordinators`) call
`principle_progress`. Activities without a principle, or whose principle the
plan does not name, are counted under `None` ("other")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.statuses import Status
from lokflow.reporting.parties import CIVIL_SOCIETY, JOINT, MUNICIPALITY
from lokflow.reporting.report_queries import latest_reports
from lokflow.store import tables as t

NO_REPORT = "none"
STATUS_ORDER: tuple[str, ...] = (
    Status.DONE.value, Status.IN_PROGRESS.value, Status.NOT_STARTED.value,
    Status.DELAYED.value, Status.PAUSED.value, Status.CANCELLED.value, NO_REPORT)
PARTIES = (MUNICIPALITY, CIVIL_SOCIETY, JOINT)


def counts(statuses: Iterable[str | None]) -> dict[str, int]:
    """Every status (and 'none') with how many have it, in the order people read."""
    found = dict.fromkeys(STATUS_ORDER, 0)
    for status in statuses:
        found[status if status in found else NO_REPORT] += 1
    return found


@dataclass(frozen=True)
class PrincipleProgress:
    """One principle (key None: activities under no named principle)."""

    key: str | None
    name: str | None
    total: int
    counts: dict[str, int]
    by_party: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.counts[Status.DONE.value]

    @property
    def done_percent(self) -> int:
        """Share done, rounded half up in integers (as the annual report rounds)."""
        return 0 if not self.total else (200 * self.done + self.total) // (2 * self.total)


@dataclass(frozen=True)
class Counted:
    """What the count needs of one activity."""

    principle: str | None
    party: str
    status: str | None


def count_by_principle(activities: Sequence[Counted],
                       principles: Sequence[tuple[str, str]]) -> list[PrincipleProgress]:
    """The pure count: one row per named principle, then 'other' if any."""
    named = {key for key, _ in principles}
    groups: list[tuple[str | None, str | None]] = list(principles)
    if any(a.principle not in named for a in activities):
        groups.append((None, None))
    rows = []
    for key, name in groups:
        mine = [a for a in activities
                if a.principle == key or (key is None and a.principle not in named)]
        rows.append(PrincipleProgress(
            key=key, name=name, total=len(mine), counts=counts(a.status for a in mine),
            by_party={party: counts(a.status for a in mine if a.party == party)
                      for party in PARTIES if any(a.party == party for a in mine)}))
    return rows


def principle_progress(session: Session, plan: t.Plan) -> list[PrincipleProgress]:
    """The plan's open activities counted per principle and party."""
    activities = list(session.scalars(select(t.Activity).where(
        t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))
        .order_by(t.Activity.position)))
    latest = latest_reports(session, [a.id for a in activities])
    principles = [(p.key, p.name) for p in session.scalars(
        select(t.Principle).where(t.Principle.plan_id == plan.id,
                                  t.Principle.archived.is_(False))
        .order_by(t.Principle.position))]
    counted = [Counted(a.principle_key, a.party,
                       latest[a.id].status if a.id in latest else None) for a in activities]
    return count_by_principle(counted, principles)
