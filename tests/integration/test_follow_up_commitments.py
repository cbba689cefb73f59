"""Commitments to follow up through the database and the web: the assessment
form lists them under their principle, the reporting round and the annual
report do not ask for a status report about them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lokflow.bootstrap import App, bootstrap
from lokflow.reporting.assessments import targets
from lokflow.settings import Settings
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import (
    KS,
    assessment_path,
    load_plan,
    plan_text,
    the_plan,
    write_plan,
)
from tests.support.reporting import load

STATEMENT = "Kommunen ska visa respekt för föreningarnas självständighet."
START = datetime(2024, 10, 10, 9, 0, tzinfo=UTC)


def with_statement(folder: Path) -> Path:
    return write_plan(folder, plan_text(**{
        "        timeline: \"2024\"\n  - id: c1": (
            "        timeline: \"2024\"\n"
            "      - id: kommun-1.2\n"
            f"        text: {STATEMENT}\n"
            "        owners: [kultur]\n"
            "        timeline: Löpande\n"
            "        kind: follow_up\n"
            "  - id: c1")}))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    yield app
    app.close()


def test_the_assessment_form_lists_them_under_their_principle(app: App, tmp_path: Path
                                                              ) -> None:
    load_plan(app, with_statement(tmp_path / "plans"))
    with app.read() as session:
        found = {target.key: target.follow_ups
                 for target in targets(session, the_plan(app).id)}
    assert found == {"": (), "dialog": (STATEMENT,), "oppenhet": ()}
    with TestClient(create_app(app), follow_redirects=False) as client:
        page = client.get(assessment_path(app, KS, "municipality")).text
    assert "Åtaganden som följs upp i den här bedömningen" in page and STATEMENT in page


def test_the_seed_statements_reach_the_assessment(app: App) -> None:
    load(app, PLANS / "lulea.yaml")
    with app.read() as session:
        found = {target.key: target.follow_ups
                 for target in targets(session, the_plan(app, "lulea").id)}
    independence = found["sjalvstandighet-och-oberoende"]
    assert len(independence) == 2 and any("visa respekt" in text for text in independence)
    assert sum(len(texts) for texts in found.values()) == 4
