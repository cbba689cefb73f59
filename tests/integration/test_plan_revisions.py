"""Revisions under the one apply use case, on SQLite and PostgreSQL: two
writers starting from the same version at the same moment (threads, real
transactions) never both win; a migrated database gets revision 1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.plans.plan_reading import current_document
from lokflow.plans.revision_apply import RevisionConflict, apply_document
from lokflow.plans.revisions import Authored
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import FIXTURES
from tests.support.reporting import load


@pytest.fixture
def db_app(either_settings: Settings, clock: FixedClock) -> Iterator[App]:
    application = bootstrap(either_settings, clock=clock)
    load(application, FIXTURES / "minimal.yaml")
    yield application
    application.close()


def renamed(app: App, name: str):  # type: ignore[no-untyped-def]
    with app.read() as session:
        _, document, head = current_document(session, "testby")
    data = document.model_dump(mode="json")
    data["units"][0]["contacts"][0]["name"] = name
    return type(document).model_validate(data), head


def test_two_saves_from_the_same_version_at_once(db_app: App) -> None:
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(name: str) -> None:
        document, head = renamed(db_app, name)
        barrier.wait()
        try:
            with db_app.sessions.begin() as session:
                apply_document(session, document, Authored(name, "web", "test"),
                               db_app.now(), based_on=head)
            outcomes.append("saved")
        except RevisionConflict as conflict:
            assert [c.new for c in conflict.theirs if c.field == "contacts[0].name"]
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Lo", "Mo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "saved"]
    with db_app.read() as session:
        numbers = list(session.scalars(select(t.PlanRevision.number)))
    assert sorted(numbers) == [1, 2]


def test_a_save_with_no_change_adds_no_revision(db_app: App) -> None:
    with db_app.read() as session:
        _, document, head = current_document(session, "testby")
    with db_app.sessions.begin() as session:
        applied = apply_document(session, document, Authored("x", "web", "nothing"),
                                 db_app.now(), based_on=head)
    assert applied.unchanged and applied.result.unchanged


def test_the_migration_gives_loaded_plans_revision_1(db_app: App) -> None:
    """Down to the schema before revisions (0004), then up again: each plan
    loaded before gets its stored document as revision 1, with the digest the
    code computes."""
    from alembic import command

    from lokflow.plans.plan_json import digest_of
    from lokflow.store.database import alembic_config

    for target in ("0004", "head"):
        with db_app.engine.connect() as connection:
            config = alembic_config(db_app.engine)
            config.attributes["connection"] = connection
            (command.downgrade if target == "0004" else command.upgrade)(config, target)
            connection.commit()
    with db_app.read() as session:
        plan = session.scalars(select(t.Plan)).one()
        revision = session.scalars(select(t.PlanRevision)).one()
        assert (revision.number, revision.source, revision.plan_id) == (1, "file", plan.id)
        assert revision.document == plan.document
        assert revision.digest == digest_of(plan.document)
