"""`record_revision` for many plans at once (a sync of hundreds of files):
one query for the heads, one for the head documents that differ, one
executemany for the new revisions, the same rows `record_revision` writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.plans.plan_json import digest_of
from lokflow.plans.revisions import Authored, revision_values
from lokflow.store import tables as t
from lokflow.store.bulk import chunks, insert_rows, table_of

revisions = table_of(t.PlanRevision)


@dataclass(frozen=True)
class NewVersion:
    """A plan's document as just loaded, and who loaded it."""

    plan_id: int
    data: dict[str, Any]
    who: Authored


def record_revisions(session: Session, versions: list[NewVersion], now: datetime) -> None:
    """Add each document as its plan's next revision, unless it is the head
    already. The plans must be distinct."""
    heads = _heads(session, [v.plan_id for v in versions])
    digests = {v.plan_id: digest_of(v.data) for v in versions}
    differ = [v.plan_id for v in versions
              if v.plan_id in heads and heads[v.plan_id][2] != digests[v.plan_id]]
    documents = _documents(session, [heads[plan_id][0] for plan_id in differ])
    rows = []
    for version in versions:
        head = heads.get(version.plan_id)
        if head is not None and head[2] == digests[version.plan_id]:
            continue
        old = documents[head[0]] if head is not None else None
        rows.append(revision_values(version.plan_id, head[1] if head else None, old,
                                    version.data, digests[version.plan_id], version.who, now))
    insert_rows(session, revisions, rows)


def _heads(session: Session, plan_ids: list[int]) -> dict[int, tuple[int, int, str]]:
    """Each plan's latest revision as (id, number, digest)."""
    found: dict[int, tuple[int, int, str]] = {}
    for part in chunks(sorted(plan_ids)):
        query = (select(revisions.c.plan_id, revisions.c.id, revisions.c.number,
                        revisions.c.digest)
                 .where(revisions.c.plan_id.in_(part)).order_by(revisions.c.number))
        for plan_id, row_id, number, digest in session.execute(query):
            found[plan_id] = (row_id, number, digest)
    return found


def _documents(session: Session, revision_ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(sorted(revision_ids)):
        query = select(revisions.c.id, revisions.c.document).where(revisions.c.id.in_(part))
        found.update({row_id: document for row_id, document in session.execute(query)})
    return found

