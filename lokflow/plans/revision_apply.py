"""The one way a new version of a plan gets in, whatever produced it (a plan
file, a workbook, the web editor, an import, a restore): check it with the
plan rules, refuse it if someone else saved since the version it was based
on, load it with the plan loader and record it as a revision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_rules import RuleViolation, check_plan
from lokflow.plans.plan_diff import Change, diff_data
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_json import canonical_text, plan_data
from lokflow.plans.plan_loading import PlanLoader, PlanSyncResult
from lokflow.plans.revisions import Authored, find_revision, head_revision, record_revision
from lokflow.store import tables as t


class PlanRejected(Exception):
    """The document breaks the plan rules; nothing was written."""

    def __init__(self, violations: list[RuleViolation]) -> None:
        super().__init__("; ".join(v.message for v in violations[:5]))
        self.violations = violations


class RevisionConflict(Exception):
    """Someone saved the plan after the version this change started from."""

    def __init__(self, base: int, head: t.PlanRevision, theirs: list[Change],
                 mine: list[Change]) -> None:
        super().__init__(f"the plan is at revision {head.number}, the change was based on {base}")
        self.base, self.head, self.theirs, self.mine = base, head, theirs, mine


@dataclass
class Applied:
    result: PlanSyncResult
    revision: t.PlanRevision | None
    changes: list[Change] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.revision is None


def locked_plan(session: Session, slug: str) -> t.Plan | None:
    """The plan row, locked until the transaction ends (PostgreSQL): two saves of
    one plan queue up instead of both reading the same head. SQLite's writers
    already queue (BEGIN IMMEDIATE)."""
    return session.scalar(select(t.Plan).where(t.Plan.slug == slug).with_for_update())


def apply_document(session: Session, document: PlanDocument, who: Authored, now: datetime, *,
                   based_on: int | None = None, path: Path | None = None) -> Applied:
    """Write `document` as the plan's next revision (the caller owns the transaction).

    `based_on` is the revision the change started from: if the plan has moved on
    since, RevisionConflict says what the others changed and what this change
    would, and nothing is written."""
    violations = check_plan(document)
    if violations:
        raise PlanRejected(violations)
    plan = locked_plan(session, document.slug)
    head = head_revision(session, plan.id) if plan is not None else None
    if based_on is not None and (head.number if head else 0) != based_on:
        assert head is not None
        raise _conflict(session, plan, based_on, head, document)
    data = plan_data(document)
    where = path or Path(plan.source_path if plan is not None else f"{document.slug}.yaml")
    loader = PlanLoader(session, now)
    result = loader.load(PlanFile(path=where, document=document, text=canonical_text(data)))
    assert loader.plan is not None
    revision = record_revision(session, loader.plan, data, who, now)
    changes = [] if revision is None else [Change.from_json(c) for c in revision.changes]
    return Applied(result, revision, changes)


def _conflict(session: Session, plan: t.Plan | None, base: int, head: t.PlanRevision,
              document: PlanDocument) -> RevisionConflict:
    assert plan is not None
    found = find_revision(session, plan.id, base)
    base_data = found.document if found is not None else None
    return RevisionConflict(base, head, diff_data(base_data, head.document),
                            diff_data(base_data, plan_data(document)))
