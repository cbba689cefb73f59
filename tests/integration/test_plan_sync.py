"""Loading plans into a real SQLite database through the Alembic migrations."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lokflow.bootstrap import App
from lokflow.plans.plan_files import PlanFile, read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.store import tables as t
from tests.conftest import FIXTURES, PLANS, FixedClock


def _sync(app: App, *paths: Path) -> list:
    plans, errors = read_plans(list(paths))
    assert not errors, errors
    with app.sessions.begin() as session:
        return sync_plans(session, plans, app.clock)


def _count(app: App, table: type, **where: object) -> int:
    with app.sessions() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int(session.scalar(query) or 0)


def test_bundled_plans_load_and_reload_without_change(app: App) -> None:
    first = _sync(app, PLANS)
    assert {r.slug: len(r.added) for r in first} == {
        "botkyrka": 54,
        "lulea": 20,
        "orebro": 14,
        "tierp": 36,
        "vasteras": 33,
    }
    assert _count(app, t.Activity) == 157
    second = _sync(app, PLANS)
    assert all(r.unchanged for r in second), [r for r in second if not r.unchanged]
    assert _count(app, t.ActivityEvent) == 157  # one "created" each, nothing more


def test_edit_updates_in_place_and_removal_archives(
    app: App, tmp_path: Path, clock: FixedClock
) -> None:
    plan = tmp_path / "testby.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", plan)
    _sync(app, plan)
    with app.sessions() as session:
        original_id = session.scalar(select(t.Activity.id).where(t.Activity.key == "k-1.1"))

    clock.at = datetime(2023, 3, 1, tzinfo=UTC)
    text = plan.read_text().replace('timeline: "2024"', 'timeline: "2025"')
    start = text.index("  - id: c1\n")
    plan.write_text(text[:start])  # c-1.1 and its commitment leave the file
    result = _sync(app, plan)[0]
    assert (result.changed, result.archived, result.added) == (["k-1.1"], ["c-1.1"], [])

    with app.sessions() as session:
        row = session.scalars(select(t.Activity).where(t.Activity.key == "k-1.1")).one()
        assert (row.id, row.revision, row.schedule["due"]) == (original_id, 2, "2025-12-31")
        kinds = session.scalars(
            select(t.ActivityEvent.kind)
            .where(t.ActivityEvent.activity_id == row.id)
            .order_by(t.ActivityEvent.id)
        ).all()
        assert kinds == ["created", "changed"]
        archived = session.scalars(select(t.Activity).where(t.Activity.key == "c-1.1")).one()
        assert archived.archived

    shutil.copy(FIXTURES / "minimal.yaml", plan)  # it comes back
    result = _sync(app, plan)[0]
    assert result.restored == ["c-1.1"] and result.changed == ["k-1.1"]


def test_failure_mid_sync_leaves_nothing_half_loaded(app: App, tmp_path: Path) -> None:
    plans, _ = read_plans([FIXTURES / "minimal.yaml"])
    broken = PlanFile(
        path=tmp_path / "x.yaml",
        document=plans[0].document.model_copy(update={"slug": "other"}),
        text="",
    )
    with pytest.raises(RuntimeError, match="crash"), app.sessions.begin() as session:
        # The second plan reuses the first's organisation and unit rows fine, but
        # a failure after the first plan was written must roll everything back.
        sync_plans(session, [plans[0], broken], app.clock)
        raise RuntimeError("crash after writing")
    assert _count(app, t.Plan) == 0 and _count(app, t.Activity) == 0


def test_owners_are_rows_and_contacts_are_kept(app: App) -> None:
    _sync(app, FIXTURES / "minimal.yaml")
    with app.sessions() as session:
        activity = session.scalars(select(t.Activity).where(t.Activity.key == "k-1.2")).one()
        assert [o.position for o in activity.owners] == [0, 1]
        contacts = session.scalars(select(t.Contact).order_by(t.Contact.email)).all()
        assert [(c.unit_key, c.kind, c.language) for c in contacts] == [
            ("kultur", "escalation", "sv"),
            ("kultur", "contact", "sv"),
            ("foreningarna", "contact", "en"),
            ("", "coordinator", "sv"),
        ]
