"""A joint activity (owned by a municipal department and a civil-society
council) is done only when both parties confirm (issue 17): each party
reports through its own personal link; until the second confirms, the work
stays open for reminders and escalation, and the pages and the annual report
say who has said done and who is awaited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.annual_report.archive import compile_and_store, rebuild
from lokflow.bootstrap import App, bootstrap
from lokflow.reporting.report_queries import resolved_occurrences
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import (
    JOINT,
    KIM,
    RUT,
    load_plan,
    plan_text,
    report,
    text_of,
    write_plan,
)
from tests.support.reporting import activity_id, form_of, report_link

START = datetime(2024, 10, 10, 9, 0, tzinfo=UTC)
WAITING = "Klar enligt kommunen, väntar på civilsamhället"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    load_plan(app)
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client
    app.close()


def report_done(app: App, client: TestClient, email: str) -> str:
    """The contact opens their personal link and reports the joint activity done."""
    path = f"/rapport/{report_link(app, email, organisation='foljby')}"
    page = client.get(path).text
    wanted = activity_id(app, JOINT, plan="foljby")
    answer = client.post(path, data={**form_of(page), f"a{wanted}-status": "done"})
    assert answer.status_code == 303, answer.text  # Post/Redirect/Get to the confirmation
    confirmation = client.get(answer.headers["location"])
    assert confirmation.status_code == 200, confirmation.text
    return confirmation.text


def stored(app: App) -> list[str]:
    with app.sessions() as session:
        return list(session.scalars(select(t.StatusReport.status).join(t.Activity).where(
            t.Activity.key == JOINT).order_by(t.StatusReport.id)))


def resolved(app: App) -> bool:
    with app.sessions() as session:
        found = resolved_occurrences(session, t.Activity.key == JOINT)
    return bool(found)


def test_done_only_when_both_parties_confirm(site: tuple[App, TestClient]) -> None:
    app, client = site
    saved = report_done(app, client, KIM)
    assert WAITING in saved  # the municipality's contact is told what happens next
    assert stored(app) == ["in_progress"] and not resolved(app)  # reminders go on
    page = text_of(client.get("/insyn/foljby").text)
    assert WAITING in page
    with app.sessions.begin() as session:
        html = rebuild(compile_and_store(session, "foljby", 2024, app.now(),
                                         zone=app.settings.tz), "html").decode()
    assert f"{WAITING}." in html
    with app.sessions() as session:
        words = [(w.party, w.said_status) for w in session.scalars(
            select(t.JointConfirmation).order_by(t.JointConfirmation.id))]
        kinds = list(session.scalars(select(t.ActivityEvent.kind).where(
            t.ActivityEvent.kind.like("joint%"))))
    assert words == [("municipality", "done")] and kinds == ["joint_waiting"]

    app.clock.at = START.replace(day=20)  # type: ignore[attr-defined]
    saved = report_done(app, client, RUT)  # civil society confirms
    assert WAITING not in saved and "klar" in saved
    assert stored(app) == ["in_progress", "done"] and resolved(app)
    assert WAITING not in text_of(client.get("/insyn/foljby").text)


def test_the_other_party_first_reads_the_other_way_round(site: tuple[App, TestClient]) -> None:
    app, client = site
    saved = report_done(app, client, RUT)
    assert "Klar enligt civilsamhället, väntar på kommunen" in saved
    report(app, JOINT, "delayed", email=RUT)  # civil society takes it back
    assert stored(app) == ["in_progress", "delayed"]
    saved = report_done(app, client, KIM)
    assert stored(app)[-1] == "in_progress" and WAITING in saved


def test_a_report_for_no_party_is_taken_as_given(site: tuple[App, TestClient]) -> None:
    """The CLI and the API act for the coordinator (the address there is not a
    personal link's), and a one-party activity never waits."""
    app, _ = site
    report(app, JOINT, "done", email=KIM, channel="cli")
    report(app, JOINT, "done", email=None, channel="api")
    assert stored(app) == ["done", "done"] and resolved(app)
    first = report(app, "kommun-1.1", "done", email=KIM)
    assert first.status == "done"


def test_a_plan_can_let_either_party_close_it(tmp_path: Path) -> None:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    try:
        load_plan(app, write_plan(tmp_path / "plans", plan_text(
            **{"follow_up:\n": "follow_up:\n  joint_needs_both: false\n"})))
        assert report(app, JOINT, "done", email=KIM).status == "done"
        assert resolved(app)
    finally:
        app.close()
