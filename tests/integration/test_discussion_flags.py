"""'Ta upp på dialogmötet' from both parties' forms: an owner's status report
and an assessor's assessment can flag an activity or a principle, and the
next meeting's agenda lists what was flagged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.agreement.agenda import flagged_items
from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import KIM, KS, assessment_path, fill, load_plan, the_plan
from tests.support.reporting import hidden, report_link

START = datetime(2024, 10, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    load_plan(app)
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client
    app.close()


def activity_id(app: App, key: str) -> int:
    with app.read() as session:
        return session.scalars(select(t.Activity.id).where(t.Activity.key == key)).one()


def test_owner_and_assessor_flag_for_the_meeting(site: tuple[App, TestClient]) -> None:
    app, client = site
    token = report_link(app, KIM, organisation="foljby")
    form = client.get(f"/rapport/{token}").text
    p = f"a{activity_id(app, 'kommun-1.1')}"
    answer = client.post(f"/rapport/{token}", data={
        "csrf": hidden(form, "csrf"), f"{p}-status": "delayed", f"{p}-comment": "Vi behöver hjälp",
        f"{p}-discuss": "1", f"{p}-key": hidden(form, f"{p}-key")})
    assert answer.status_code == 200, answer.text
    status, _ = fill(client, assessment_path(app, KS, "municipality"),
                     {"p-dialog-scale": "2", "p-dialog-text": "Dialogen haltar.",
                      "p-dialog-discuss": "1"})
    assert status == 200
    with app.read() as session:
        found = flagged_items(session, the_plan(app), START.date(), app.settings.tz)
    assert [(f["key"], f["source"], f["note"]) for f in found] == [
        ("kommun-1.1", "report", "Vi behöver hjälp"), (None, "assessment", "Dialogen haltar.")]
    assert found[1]["principle"] == "Dialog"
    page = client.get(f"/rapport/{token}").text
    assert "Ta upp på dialogmötet" in page


def test_minutes_reach_the_public_page_without_the_writer(tmp_path: Path) -> None:
    from lokflow.agreement.meeting_cycle import meeting_row, plan_document
    from lokflow.agreement.meeting_decisions import save_minutes
    from lokflow.domain.meetings import meeting_days
    from tests.support.follow_up import plan_text, write_plan

    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    load_plan(app, write_plan(tmp_path / "plans", plan_text(**{
        '  annual_date: "11-15"\n': '  annual_date: "11-15"\n  dialogue_meetings:\n'
                                    '    per_year: 2\n    dates: ["03-10", "09-10"]\n'})))
    with TestClient(create_app(app)) as client:
        before = client.get("/insyn/foljby").text
        with app.sessions.begin() as session:
            plan = session.scalars(select(t.Plan).where(t.Plan.slug == "foljby")).one()
            [day] = meeting_days(plan_document(plan), START.date().replace(month=9, day=1),
                                 START.date().replace(month=9, day=30))
            meeting = meeting_row(session, plan, day, app.settings.tz, app.now())
            save_minutes(meeting, "Parterna enades om <en> ny träffpunkt.", "Sara Samordnare",
                         app.now())
        after = client.get("/insyn/foljby").text
    app.close()
    assert "Protokoll från dialogmöten" not in before
    assert "Protokoll från dialogmöten" in after and "Dialogmöte 2024-09-10" in after
    assert "Parterna enades om &lt;en&gt; ny träffpunkt." in after
    assert "Sara Samordnare" not in after
