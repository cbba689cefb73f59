"""The current document of a plan: its latest revision (or, for a plan loaded
before revisions existed and not migrated, the stored document)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.revisions import head_revision, revision_document
from lokflow.store import tables as t


class PlanMissing(LookupError):
    """No plan has this slug."""


def current_document(session: Session, slug: str) -> tuple[t.Plan, PlanDocument, int]:
    """(the plan row, its document, its head revision number; 0 if none)."""
    plan = session.scalar(select(t.Plan).where(t.Plan.slug == slug))
    if plan is None:
        raise PlanMissing(slug)
    head = head_revision(session, plan.id)
    if head is not None:
        return plan, revision_document(head), head.number
    return plan, PlanDocument.model_validate(plan.document), 0
