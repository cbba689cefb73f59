"""Loading validated plan files into the database, idempotently.

Re-loading an edited file updates rows in place (history stays attached to
the same activity row), archives what left the file instead of deleting it,
and records every change in the activity's history. One transaction for the
whole sync: an error leaves the database as it was. Many plans are loaded
together, with a few bulk statements per table (`store.bulk`): 300 plans are
30,000 activities, too many for one ORM object and statement per row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from lokflow.domain.contact_kinds import ContactKind
from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.activity_sync import ActivitySync
from lokflow.plans.keyed_rows import sync_keyed
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_rows import contact_fields
from lokflow.plans.revision_batch import NewVersion, record_revisions
from lokflow.plans.revisions import Authored
from lokflow.store import tables as t
from lokflow.store.bulk import (
    cycle_collector_paused,
    insert_returning,
    refresh_held,
    rows_where_in,
    table_of,
    update_by_id,
)

WRITTEN = (t.Organisation, t.Plan, t.Unit, t.Contact, t.Principle, t.Commitment, t.Activity,
           t.ActivityOwner)
"""The tables whose rows a sync changes in place (history is only appended)."""


class PlanOwnershipError(Exception):
    """A plan slug is already used by another organisation."""


@dataclass
class PlanSyncResult:
    slug: str
    new_plan: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (
            self.new_plan
            or self.added
            or self.changed
            or self.archived
            or self.restored
            or self.other
        )


@dataclass
class Loaded:
    """One plan file as loaded: what changed, the plan's row id and its
    document as stored (the JSON a revision of it stores)."""

    result: PlanSyncResult
    plan_id: int
    data: dict[str, Any]


class PlanLoader:
    """Writes plan files' content into an open session (the caller owns the
    transaction). The statements bypass the session's unit of work: it is
    flushed before, and the objects of the written tables it holds are
    refreshed after, so what the caller holds sees the new rows."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.plan: t.Plan | None = None
        """The plan row of the last `load` (its revision is recorded against it)."""

    def load(self, plan_file: PlanFile) -> PlanSyncResult:
        """Load one file (a web edit, a workbook, an import)."""
        [loaded] = self.load_many([plan_file])
        self.plan = self.session.get(t.Plan, loaded.plan_id)
        return loaded.result

    def load_many(self, files: list[PlanFile]) -> list[Loaded]:
        """Load `files` in order; a slug given twice is loaded twice, the second
        time over the first."""
        self.session.flush()
        loaded = [item for batch in _batches(files) for item in self._batch(batch)]
        refresh_held(self.session, WRITTEN)
        return loaded

    def _batch(self, files: list[PlanFile]) -> list[Loaded]:
        """Files of distinct plans, together."""
        results = {f.document.slug: PlanSyncResult(slug=f.document.slug) for f in files}
        organisations = self._organisations(files)
        values = {f.document.slug: _plan_values(f.document) for f in files}
        ids, changed = self._plans(files, values, organisations, results)
        docs = {ids[f.document.slug]: f.document for f in files}
        notes = {ids[slug]: r.other for slug, r in results.items() if not r.new_plan}
        units = sync_keyed(self.session, table_of(t.Unit), ("key",), {
            plan_id: [(u.id, {"name": u.name, "kind": str(u.kind), "note": u.note,
                              "archived": False}) for u in doc.units]
            for plan_id, doc in docs.items()}, notes, noun="unit")
        sync_keyed(self.session, table_of(t.Contact), ("unit_key", "kind", "email"),
                   {plan_id: list(_contacts(doc).items()) for plan_id, doc in docs.items()})
        sync_keyed(self.session, table_of(t.Principle), ("key",), {
            plan_id: [(p.id, {"name": p.name, "description": p.description, "position": n,
                              "archived": False}) for n, p in enumerate(doc.principles)]
            for plan_id, doc in docs.items()})
        commitments = sync_keyed(self.session, table_of(t.Commitment), ("key",), {
            plan_id: [(c.id, {"number": c.number, "party": str(c.party),
                              "principle_key": c.principle, "text": c.text, "note": c.note,
                              "position": n, "archived": False})
                      for n, c in enumerate(doc.commitments)]
            for plan_id, doc in docs.items()})
        activities = ActivitySync(self.session, self.now).run(docs, commitments, units)
        for slug, result in results.items():
            found = activities[ids[slug]]
            result.added, result.changed = found.added, found.changed
            result.archived, result.restored = found.archived, found.restored
        for plan_file in files:  # "last changed": caches of a plan's views key on these
            slug = plan_file.document.slug
            if not results[slug].unchanged and not results[slug].new_plan:
                changed.setdefault(ids[slug], {}).update(
                    loaded_at=self.now, content_hash=_digest(plan_file))
        update_by_id(self.session, table_of(t.Plan), list(changed.items()))
        return [Loaded(results[slug], ids[slug], values[slug]["document"])
                for slug in (f.document.slug for f in files)]

    def _organisations(self, files: list[PlanFile]) -> dict[str, int]:
        """Organisation id by slug, creating new ones and renaming known ones."""
        names = {f.document.organisation.slug: f.document.organisation.name for f in files}
        table = table_of(t.Organisation)
        found = {row.slug: row for row in rows_where_in(self.session, table, "slug",
                                                        list(names))}
        ids = {slug: row.id for slug, row in found.items()}
        new = [{"slug": slug, "name": name} for slug, name in names.items() if slug not in found]
        for row in insert_returning(self.session, table, new, "id", "slug"):
            ids[row.slug] = row.id
        update_by_id(self.session, table, [(row.id, {"name": names[slug]})
                                           for slug, row in found.items()
                                           if row.name != names[slug]])
        return ids

    def _plans(self, files: list[PlanFile], stored: dict[str, dict[str, Any]],
               organisations: dict[str, int], results: dict[str, PlanSyncResult]
               ) -> tuple[dict[str, int], dict[int, dict[str, Any]]]:
        """Plan id by slug (new plans inserted), and the changes owed to the
        plans there were (written once their content is synced)."""
        table = table_of(t.Plan)
        found = {row.slug: row for row in rows_where_in(self.session, table, "slug",
                                                        list(results))}
        ids: dict[str, int] = {}
        new: list[dict[str, Any]] = []
        changed: dict[int, dict[str, Any]] = {}
        for plan_file in files:
            doc = plan_file.document
            values = stored[doc.slug]
            organisation = organisations[doc.organisation.slug]
            row = found.get(doc.slug)
            if row is None:
                results[doc.slug].new_plan = True
                new.append({"organisation_id": organisation, "slug": doc.slug, **values,
                            "source_path": str(plan_file.path),
                            "content_hash": _digest(plan_file), "loaded_at": self.now,
                            "archived": False})
                continue
            if row.organisation_id != organisation:
                raise PlanOwnershipError(
                    f"{plan_file.path}: plan slug {doc.slug!r} belongs to another organisation")
            ids[doc.slug] = row.id
            change = {name: value for name, value in values.items()
                      if row._mapping[name] != value}
            if change or row.archived:
                results[doc.slug].other.append("plan: " + ", ".join(change or ["restored"]))
                change.update(archived=False, content_hash=_digest(plan_file),
                              loaded_at=self.now)
            if row.source_path != str(plan_file.path):
                change["source_path"] = str(plan_file.path)
            if change:
                changed[row.id] = change
        for inserted in insert_returning(self.session, table, new, "id", "slug"):
            ids[inserted.slug] = inserted.id
        return ids, changed


def _digest(plan_file: PlanFile) -> str:
    return hashlib.sha256(plan_file.text.encode("utf-8")).hexdigest()


def _plan_values(doc: PlanDocument) -> dict[str, Any]:
    return {"title": doc.title, "short_name": doc.short_name,
            "period_start": doc.period.start, "period_end": doc.period.end,
            "adopted": doc.adopted, "language": str(doc.language),
            "document": doc.model_dump(mode="json")}


def _contacts(doc: PlanDocument) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Everyone the plan names, by (unit key or '', kind, lower-case email)."""
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
    return wanted


def _batches(files: list[PlanFile]) -> list[list[PlanFile]]:
    """Files in runs of distinct slugs, in order."""
    batches: list[list[PlanFile]] = [[]]
    for plan_file in files:
        if any(f.document.slug == plan_file.document.slug for f in batches[-1]):
            batches.append([])
        batches[-1].append(plan_file)
    return [batch for batch in batches if batch]


def sync_plans(
    session: Session, plan_files: list[PlanFile], now: Callable[[], datetime]
) -> list[PlanSyncResult]:
    """Load every plan file into `session` (the caller owns the transaction),
    each one recorded as a revision of its plan when it differs from the last."""
    at = now()
    loader = PlanLoader(session, at)
    results = []
    with cycle_collector_paused():
        for batch in _batches(plan_files):
            loaded = loader.load_many(batch)
            record_revisions(session, [
                NewVersion(item.plan_id, item.data,
                           Authored("lokflow sync", "file", f"sync of {plan_file.path.name}",
                                    origin=str(plan_file.path)))
                for item, plan_file in zip(loaded, batch, strict=True)], at)
            results += [item.result for item in loaded]
    return results
