"""How an activity is named outside lokflow (Prefect runs and events)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.store import tables as t


@dataclass(frozen=True)
class ActivityLabel:
    organisation: str
    plan: str
    key: str
    owners: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.plan}/{self.key}"


def activity_labels(session: Session, activity_ids: Collection[int]) -> dict[int, ActivityLabel]:
    query = (select(t.Activity.id, t.Organisation.slug, t.Plan.slug, t.Activity.key,
                    t.Activity.owner_keys)
             .join(t.Plan, t.Plan.id == t.Activity.plan_id)
             .join(t.Organisation, t.Organisation.id == t.Plan.organisation_id)
             .where(t.Activity.id.in_(list(activity_ids))))
    return {row[0]: ActivityLabel(row[1], row[2], row[3], tuple(row[4]))
            for row in session.execute(query)}
