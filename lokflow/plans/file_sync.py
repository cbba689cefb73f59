"""`lokflow sync` and web edits: a file must not silently undo what
coordinators saved in the web editor, nor the other way round. A file's base
is the revision it was exported from (its `lokflow-base` line), else the
plan's last revision from a file. If revisions from elsewhere came after
that base and the file differs from the plan as it is, sync refuses and says
what differs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.export_yaml import base_digest
from lokflow.plans.plan_diff import Change, diff_data
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_json import document_digest, plan_data
from lokflow.plans.revisions import (
    head_revision,
    latest_from_files,
    latest_with_digest,
    revisions_after,
)
from lokflow.store import tables as t


@dataclass
class Refusal:
    """Why a file may not be loaded: the revisions made elsewhere since its base,
    and what differs (old: the file, new: the plan as it is now)."""

    slug: str
    head: int
    others: list[t.PlanRevision]
    changes: list[Change]


def refusal(session: Session, document: PlanDocument, based_on: str | None
            ) -> Refusal | None:
    """A refusal if loading `document` would undo revisions made since its base."""
    plan = session.scalar(select(t.Plan).where(t.Plan.slug == document.slug))
    if plan is None:
        return None
    head = head_revision(session, plan.id)
    if head is None or head.digest == document_digest(document):
        return None
    base = latest_with_digest(session, plan.id, based_on) if based_on else None
    base = base or latest_from_files(session, plan.id)
    others = [r for r in revisions_after(session, plan.id, base.number if base else 0)
              if r.source != "file"]
    if not others:
        return None
    return Refusal(document.slug, head.number, others,
                   diff_data(plan_data(document), head.document))


def sync_refusals(session: Session, plan_files: list[PlanFile]) -> list[Refusal]:
    found = []
    for plan_file in plan_files:
        refused = refusal(session, plan_file.document, base_digest(plan_file.text))
        if refused is not None:
            found.append(refused)
    return found
