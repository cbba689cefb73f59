"""The plan sync as it was before it wrote in bulk: one ORM object and
statement per row, each plan's revision recorded with `record_revision`. Kept
as the reference the bulk sync must match row for row (ids, history, results);
see tests/integration/test_bulk_sync_equivalence.py. Not used by lokflow."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_loading import PlanOwnershipError, PlanSyncResult
from lokflow.plans.plan_rows import activity_fields, contact_fields
from lokflow.plans.revisions import Authored, record_revision
from lokflow.store import tables as t


class RowByRowLoader:
    """Writes one plan file's content into an open session, one ORM object per row."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.plan: t.Plan | None = None
        """The plan row of the last `load` (its revision is recorded against it)."""

    def load(self, plan_file: PlanFile) -> PlanSyncResult:
        doc = plan_file.document
        result = PlanSyncResult(slug=doc.slug)
        plan = self.plan = self._plan(plan_file, result)
        units = self._units(plan, doc, result)
        self._contacts(plan, doc)
        self._principles(plan, doc)
        commitments = self._commitments(plan, doc)
        self._activities(plan, doc, commitments, units, result)
        if not result.unchanged:  # "last changed": caches of this plan's views key on these
            plan.loaded_at = self.now
            plan.content_hash = hashlib.sha256(plan_file.text.encode("utf-8")).hexdigest()
        return result

    def _plan(self, plan_file: PlanFile, result: PlanSyncResult) -> t.Plan:
        doc = plan_file.document
        org = self.session.scalar(
            select(t.Organisation).where(t.Organisation.slug == doc.organisation.slug)
        )
        if org is None:
            org = t.Organisation(slug=doc.organisation.slug, name=doc.organisation.name)
            self.session.add(org)
            self.session.flush()
        org.name = doc.organisation.name
        plan = self.session.scalar(select(t.Plan).where(t.Plan.slug == doc.slug))
        digest = hashlib.sha256(plan_file.text.encode("utf-8")).hexdigest()
        values = {
            "title": doc.title,
            "short_name": doc.short_name,
            "period_start": doc.period.start,
            "period_end": doc.period.end,
            "adopted": doc.adopted,
            "language": str(doc.language),
            "document": doc.model_dump(mode="json"),
        }
        if plan is None:
            result.new_plan = True
            plan = t.Plan(
                organisation_id=org.id,
                slug=doc.slug,
                **values,
                source_path=str(plan_file.path),
                content_hash=digest,
                loaded_at=self.now,
                archived=False,
            )
            self.session.add(plan)
            self.session.flush()
            return plan
        if plan.organisation_id != org.id:
            raise PlanOwnershipError(
                f"{plan_file.path}: plan slug {doc.slug!r} belongs to another organisation"
            )
        changed = [name for name, value in values.items() if getattr(plan, name) != value]
        if changed or plan.archived:
            result.other.append("plan: " + ", ".join(changed or ["restored"]))
            for name in changed:
                setattr(plan, name, values[name])
            plan.archived = False
            plan.content_hash = digest
            plan.loaded_at = self.now
        plan.source_path = str(plan_file.path)
        return plan

    def _units(self, plan: t.Plan, doc: PlanDocument, result: PlanSyncResult) -> dict[str, t.Unit]:
        return self._keyed(t.Unit, plan, [
            (u.id, {"name": u.name, "kind": str(u.kind), "note": u.note, "archived": False})
            for u in doc.units], changes=None if result.new_plan else result.other, noun="unit")

    def _contacts(self, plan: t.Plan, doc: PlanDocument) -> None:
        wanted: dict[tuple[str, str, str], dict[str, Any]] = {}
        for kind, people in ((ContactKind.COORDINATOR, doc.coordinators),
                             (ContactKind.STEERING, doc.steering_group)):
            for person in people:
                wanted[("", kind, person.email.lower())] = contact_fields(person)
        for unit in doc.units:
            for person in unit.contacts:
                wanted[(unit.id, ContactKind.CONTACT, person.email.lower())] = (
                    contact_fields(person))
            if unit.escalation:
                wanted[(unit.id, ContactKind.ESCALATION, unit.escalation.email.lower())] = (
                    contact_fields(unit.escalation))
        rows = {
            (c.unit_key, c.kind, c.email): c
            for c in self.session.scalars(select(t.Contact).where(t.Contact.plan_id == plan.id))
        }
        for key, values in wanted.items():
            row = rows.get(key)
            if row is None:
                self.session.add(
                    t.Contact(plan_id=plan.id, unit_key=key[0], kind=key[1], email=key[2], **values)
                )
            else:
                _update(row, values)
        for key, row in rows.items():
            if key not in wanted:
                row.archived = True

    def _principles(self, plan: t.Plan, doc: PlanDocument) -> None:
        self._keyed(t.Principle, plan, [
            (p.id, {"name": p.name, "description": p.description, "position": n,
                    "archived": False})
            for n, p in enumerate(doc.principles)])

    def _commitments(self, plan: t.Plan, doc: PlanDocument) -> dict[str, t.Commitment]:
        return self._keyed(t.Commitment, plan, [
            (c.id, {"number": c.number, "party": str(c.party), "principle_key": c.principle,
                    "text": c.text, "note": c.note, "position": n, "archived": False})
            for n, c in enumerate(doc.commitments)])

    def _keyed(self, model: Any, plan: t.Plan, wanted: list[tuple[str, dict[str, Any]]],
               changes: list[str] | None = None, noun: str = "") -> dict[str, Any]:
        """Rows of `model` by key: created, updated in place, or archived when
        they left the file (never deleted: history may point at them). Each
        change is written to `changes` as e.g. "unit added: kultur"."""
        rows = {r.key: r for r in self.session.scalars(
            select(model).where(model.plan_id == plan.id))}
        said = changes if changes is not None else []
        for key, values in wanted:
            row = rows.get(key)
            if row is None:
                rows[key] = row = model(plan_id=plan.id, key=key, **values)
                self.session.add(row)
                said.append(f"{noun} added: {key}")
            elif _update(row, values):
                said.append(f"{noun} changed: {key}")
        listed = {key for key, _ in wanted}
        for key, row in rows.items():
            if key not in listed and not row.archived:
                row.archived = True
                said.append(f"{noun} archived: {key}")
        self.session.flush()
        return rows

    def _activities(
        self,
        plan: t.Plan,
        doc: PlanDocument,
        commitments: dict[str, t.Commitment],
        units: dict[str, t.Unit],
        result: PlanSyncResult,
    ) -> None:
        rows = {
            a.key: a
            for a in self.session.scalars(
                select(t.Activity).where(t.Activity.plan_id == plan.id)
                .options(selectinload(t.Activity.owners))
            )
        }
        listed: set[str] = set()
        created: list[tuple[t.Activity, str]] = []
        for position, (commitment, activity) in enumerate(doc.activities()):
            listed.add(activity.id)
            values = activity_fields(doc, commitment, activity)
            placement = {"commitment_id": commitments[commitment.id].id, "position": position}
            row = rows.get(activity.id)
            if row is None:
                row = t.Activity(
                    plan_id=plan.id,
                    key=activity.id,
                    **values,
                    **placement,
                    revision=1,
                    archived=False,
                    created_at=self.now,
                    updated_at=self.now,
                )
                row.owners = [t.ActivityOwner(unit_id=units[key].id, position=n)
                              for n, key in enumerate(activity.owners)]
                self.session.add(row)
                created.append((row, activity.timeline))
                result.added.append(activity.id)
                continue
            else:
                diff = {
                    name: [getattr(row, name), value]
                    for name, value in values.items()
                    if getattr(row, name) != value
                }
                _update(row, placement)
                if row.archived:
                    row.archived = False
                    self._event(row, "restored", {})
                    result.restored.append(activity.id)
                if diff:
                    _update(row, values)
                    row.revision += 1
                    row.updated_at = self.now
                    self._event(row, "changed", {"fields": diff})
                    result.changed.append(activity.id)
            self._owners(row, [units[key] for key in activity.owners])
        if created:  # one flush for all new rows, then their history
            self.session.flush()
            for row, timeline in created:
                self._event(row, "created", {"timeline": timeline})
        for key, row in rows.items():
            if key not in listed and not row.archived:
                row.archived = True
                row.updated_at = self.now
                self._event(row, "archived", {})
                result.archived.append(key)

    def _owners(self, row: t.Activity, units: list[t.Unit]) -> None:
        wanted = [(unit.id, position) for position, unit in enumerate(units)]
        current = [(owner.unit_id, owner.position) for owner in row.owners]
        if current != wanted:
            row.owners.clear()
            self.session.flush()
            row.owners.extend(
                t.ActivityOwner(unit_id=unit_id, position=pos) for unit_id, pos in wanted
            )

    def _event(self, row: t.Activity, kind: str, detail: dict[str, Any]) -> None:
        self.session.add(
            t.ActivityEvent(activity_id=row.id, at=self.now, kind=kind, detail=_jsonable(detail))
        )


def _update(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def row_by_row_sync(
    session: Session, plan_files: list[PlanFile], now: Callable[[], datetime]
) -> list[PlanSyncResult]:
    """`sync_plans` as it was, one plan and one row at a time."""
    at = now()
    loader = RowByRowLoader(session, at)
    results = []
    for plan_file in plan_files:
        results.append(loader.load(plan_file))
        assert loader.plan is not None
        record_revision(session, loader.plan, plan_file.document.model_dump(mode="json"),
                        Authored("lokflow sync", "file", f"sync of {plan_file.path.name}",
                                 origin=str(plan_file.path)), at)
    return results
