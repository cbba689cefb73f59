"""A plan's revisions: each version of its document with who made it, when,
from where and why, and what changed. The latest revision is the plan; files,
workbooks and the web editor are three ways to add one."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.plan_diff import Change, diff_data
from lokflow.plans.plan_json import digest_of
from lokflow.store import tables as t

CHANGE_FIELDS = tuple(f.name for f in fields(Change))

Source = Literal["file", "workbook", "web", "import", "restore", "meeting", "renegotiation"]
SOURCES: tuple[Source, ...] = ("file", "workbook", "web", "import", "restore", "meeting",
                               "renegotiation")


@dataclass(frozen=True)
class Authored:
    """Who adds a revision, through what, and why (the reason is required)."""

    author: str
    source: Source
    reason: str
    origin: str | None = None
    restored_from: int | None = None


def head_revision(session: Session, plan_id: int) -> t.PlanRevision | None:
    return session.scalar(select(t.PlanRevision).where(t.PlanRevision.plan_id == plan_id)
                          .order_by(t.PlanRevision.number.desc()).limit(1))


def head_number(session: Session, plan_id: int) -> int:
    found = session.scalar(select(func.max(t.PlanRevision.number))
                           .where(t.PlanRevision.plan_id == plan_id))
    return int(found or 0)


def find_revision(session: Session, plan_id: int, number: int) -> t.PlanRevision | None:
    return session.scalar(select(t.PlanRevision).where(
        t.PlanRevision.plan_id == plan_id, t.PlanRevision.number == number))


def list_revisions(session: Session, plan_id: int, limit: int = 200) -> list[t.PlanRevision]:
    """Newest first."""
    return list(session.scalars(select(t.PlanRevision).where(t.PlanRevision.plan_id == plan_id)
                                .order_by(t.PlanRevision.number.desc()).limit(limit)))


def revisions_after(session: Session, plan_id: int, number: int) -> list[t.PlanRevision]:
    return list(session.scalars(select(t.PlanRevision).where(
        t.PlanRevision.plan_id == plan_id, t.PlanRevision.number > number)
        .order_by(t.PlanRevision.number)))


def latest_with_digest(session: Session, plan_id: int, digest: str) -> t.PlanRevision | None:
    return session.scalar(select(t.PlanRevision).where(
        t.PlanRevision.plan_id == plan_id, t.PlanRevision.digest == digest)
        .order_by(t.PlanRevision.number.desc()).limit(1))


def latest_from_files(session: Session, plan_id: int) -> t.PlanRevision | None:
    return session.scalar(select(t.PlanRevision).where(
        t.PlanRevision.plan_id == plan_id, t.PlanRevision.source == "file")
        .order_by(t.PlanRevision.number.desc()).limit(1))


def revision_document(revision: t.PlanRevision) -> PlanDocument:
    """The stored document, read with today's model (new fields get defaults)."""
    return PlanDocument.model_validate(revision.document)


def record_revision(session: Session, plan: t.Plan, data: dict[str, Any], who: Authored,
                    now: datetime) -> t.PlanRevision | None:
    """Add `data` as the plan's next revision, unless it is the head already.
    Two writers adding the same number fail on the unique constraint: a
    concurrent save can never overwrite another silently."""
    head = head_revision(session, plan.id)
    digest = digest_of(data)
    if head is not None and head.digest == digest:
        return None
    row = t.PlanRevision(**revision_values(
        plan.id, head.number if head else None, head.document if head else None, data,
        digest, who, now))
    session.add(row)
    session.flush()
    return row


def revision_values(plan_id: int, head_number: int | None, head_document: dict[str, Any] | None,
                    data: dict[str, Any], digest: str, who: Authored, now: datetime
                    ) -> dict[str, Any]:
    """The columns of a plan's next revision after `head_number`: one definition
    for a save in the web and a sync of hundreds of files (revision_batch)."""
    changes = diff_data(head_document, data)
    return {"plan_id": plan_id, "number": (head_number or 0) + 1, "created_at": now,
            "author": who.author[:300], "source": who.source, "origin": who.origin,
            "reason": who.reason, "document": data, "digest": digest,
            "changes": [_change_json(c) for c in changes], "restored_from": who.restored_from}


def _change_json(change: Change) -> dict[str, Any]:
    """`Change.as_json` without its deep copy: the values are JSON already and
    written at once (a new plan's first revision lists every item added)."""
    return {name: getattr(change, name) for name in CHANGE_FIELDS}
