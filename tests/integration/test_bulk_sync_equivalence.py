"""The bulk plan sync writes what the row-by-row sync wrote: the seed plans are
synced into two databases, one with `sync_plans` and one with the old
per-row loader (tests/support/row_by_row_sync.py), through a first load, an
edit (changes, a move, owners, an archived commitment and activity, a new
activity, a renamed unit and organisation, a new contact), a return to the
originals (restores), a restored plan and a slug given twice in one sync.
After each step every table the sync writes must hold the same rows, ids
included, and both syncs must report the same changes. On SQLite and
PostgreSQL."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.plan_files import PlanFile, read_plans
from lokflow.plans.plan_json import canonical_text, plan_data
from lokflow.plans.plan_loading import PlanSyncResult, sync_plans
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS, database_name
from tests.support.row_by_row_sync import row_by_row_sync

TABLES = (t.Organisation, t.Plan, t.Unit, t.Contact, t.Principle, t.Commitment, t.Activity,
          t.ActivityOwner, t.ActivityEvent, t.PlanRevision)


@pytest.fixture
def apps(either_settings: Settings, tmp_path: Path, clock: FixedClock,
         request: pytest.FixtureRequest) -> Iterator[tuple[App, App]]:
    """Two empty databases of the same kind: (bulk, row by row)."""
    if either_settings.database_url:
        cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database(database_name("lokflow_ref", request.node))
    else:
        url = ""
    reference = Settings(home=tmp_path / "reference", database_url=url, plans_dir=PLANS,
                         _env_file=None)  # type: ignore[call-arg]
    bulk_app = bootstrap(either_settings, clock=clock)
    reference_app = bootstrap(reference, clock=clock)
    yield bulk_app, reference_app
    bulk_app.close()
    reference_app.close()


def _table(app: App, model: Any) -> list[dict[str, Any]]:
    table = model.__table__
    with app.sessions() as session:
        rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
    return [dict(row._mapping) for row in rows]


def _both(apps: tuple[App, App], files: list[PlanFile], clock: FixedClock
          ) -> list[PlanSyncResult]:
    """Sync `files` into both databases and compare everything they hold."""
    clock.at += timedelta(days=1)
    (bulk, reference), results = apps, []
    for app, sync in ((bulk, sync_plans), (reference, row_by_row_sync)):
        with app.sessions.begin() as session:
            results.append(sync(session, files, app.clock))
    assert [asdict(r) for r in results[0]] == [asdict(r) for r in results[1]]
    for model in TABLES:
        assert _table(bulk, model) == _table(reference, model), model.__tablename__
    return results[0]


def _in_both(apps: tuple[App, App], statement: Any) -> None:
    for app in apps:
        with app.sessions.begin() as session:
            session.execute(statement)


def _edited(original: PlanFile) -> PlanFile:
    data = copy.deepcopy(plan_data(original.document))
    data["title"] += " (reviderad)"
    data["organisation"]["name"] += " (nytt namn)"
    data["units"][0]["name"] += " och bolagen"
    data["units"][0]["contacts"].append({"name": "Ny kontakt",
                                         "email": "Ny.Kontakt@example.org"})
    first, second = data["commitments"][0]["activities"], data["commitments"][1]["activities"]
    first[0]["text"] += " Ändrad."
    first[0]["policy"] = {"reminders": {"checkins_per_year": 4}}  # a schedule of its own
    second[0]["timeline"] = "2026"
    del first[1]  # archived
    second.insert(0, first.pop())  # moved to another commitment
    second[1]["owners"] = list(reversed([u["id"] for u in data["units"][:2]]))
    dropped = data["commitments"].pop()  # archived with its activities
    added = copy.deepcopy(dropped["activities"][0])
    added.update(id="ny-1", number=None, text="En ny aktivitet.", timeline="Årligen")
    data["commitments"][-1]["activities"].append(added)
    document = PlanDocument.model_validate(data)
    return PlanFile(original.path, document, canonical_text(plan_data(document)))


def test_bulk_sync_writes_what_the_row_by_row_sync_wrote(
        apps: tuple[App, App], clock: FixedClock) -> None:
    originals, errors = read_plans([PLANS])
    assert not errors and len(originals) >= 3
    clock.at = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)
    assert all(r.new_plan for r in _both(apps, originals, clock))  # first revisions
    assert all(r.unchanged for r in _both(apps, originals, clock))
    edited = [_edited(originals[0]), originals[1], *originals[2:]]
    first = _both(apps, edited, clock)[0]
    assert first.added and first.changed and first.archived and first.other
    first = _both(apps, originals, clock)[0]  # the edit undone
    assert first.restored and first.archived and first.changed
    _in_both(apps, update(t.Plan).where(t.Plan.slug == originals[1].document.slug)
             .values(archived=True))
    _both(apps, originals[1:3], clock)  # an archived plan restored
    _in_both(apps, update(t.Activity).where(t.Activity.id == 1).values(text="Ändrad i basen."))
    assert _both(apps, originals, clock)[0].changed  # the document as it was, a row not
    _both(apps, [edited[0], originals[1], originals[0], edited[0]], clock)  # a slug twice


def test_objects_the_caller_holds_see_the_synced_rows(apps: tuple[App, App],
                                                      clock: FixedClock) -> None:
    """The bulk statements bypass the session: what the caller loaded before
    the sync is refreshed (owners included) and stays usable after the
    transaction, as it was when the sync wrote through the ORM."""
    app = apps[0]
    originals, _ = read_plans([PLANS])
    edited = _edited(originals[0])
    with app.sessions.begin() as session:
        sync_plans(session, originals, app.clock)
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == edited.document.slug)).one()
        revision = session.scalars(select(t.PlanRevision)).first()
        activities = {a.key: a for a in session.scalars(
            select(t.Activity).where(t.Activity.plan_id == plan.id)).all()}
        owners_before = {key: [o.unit_id for o in a.owners] for key, a in activities.items()}
        sync_plans(session, [edited], app.clock)
    assert plan.title == edited.document.title
    _, first = next(iter(edited.document.activities()))
    assert activities[first.id].text == first.text
    assert activities[first.id].revision == 2
    moved = edited.document.commitments[1].activities[1]
    units = {u.key: u.id for u in _held_units(app, plan.id)}
    assert [o.unit_id for o in activities[moved.id].owners] == [units[k] for k in moved.owners]
    assert owners_before[moved.id] != [units[k] for k in moved.owners]
    assert revision is not None and revision.number == 1  # other tables: left as they were


def _held_units(app: App, plan_id: int) -> list[t.Unit]:
    with app.sessions() as session:
        return list(session.scalars(select(t.Unit).where(t.Unit.plan_id == plan_id)))
