"""The coordinator's dialogue-meeting pages over HTTP (TestClient, real
SQLite through the migrations): make and send the agenda, download its PDF,
record minutes and decisions; each decision is a plan revision linked to the
meeting; a broken decision is a Swedish error page and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lokflow.bootstrap import App, bootstrap
from lokflow.plans.revisions import head_revision
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import coordinator_login, text_of
from tests.support.meeting_plans import lulea_with_meeting_days
from tests.support.reporting import hidden, load

PAGE = "/samordnare/planer/lulea/moten/2021-03-18"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    booked = lulea_with_meeting_days(tmp_path / "plans")
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=booked.parent,
                             _env_file=None), clock=FixedClock(datetime(2021, 3, 1, 9,
                                                                        tzinfo=UTC)))
    load(app, booked)
    with TestClient(create_app(app), follow_redirects=False) as client:
        coordinator_login(app, client, organisation="lulea")
        yield app, client
    app.close()


def revisions(app: App) -> tuple[int, str | None]:
    with app.read() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "lulea")).one()
        head = head_revision(session, plan.id)
        assert head is not None
        return head.number, head.origin


def test_agenda_minutes_and_decisions_through_the_pages(site: tuple[App, TestClient]) -> None:
    app, client = site
    listing = client.get("/samordnare/planer/lulea/moten")
    assert listing.status_code == 200 and "2021-03-18" in listing.text
    page = client.get(PAGE).text
    assert "Dagordningen görs 2021-03-04" in text_of(page)
    made = client.post(PAGE + "/dagordning", data={"csrf": hidden(page, "csrf")})
    assert made.status_code == 303
    page = client.get(made.headers["location"]).text
    assert "Dagordningen är gjord och köad till 1 deltagare." in text_of(page)
    assert "Försenade aktiviteter" in page
    pdf = client.get(PAGE + "/dagordning.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    with app.read() as session:
        assert session.scalar(select(func.count()).select_from(t.OutboxItem).where(
            t.OutboxItem.kind == "meeting_agenda")) == 1

    csrf = hidden(page, "csrf")
    saved = client.post(PAGE + "/protokoll", data={
        "csrf": csrf, "text": "Mötet gick igenom <b>läget</b>."})
    assert saved.status_code == 303
    before, _ = revisions(app)
    decided = client.post(PAGE + "/beslut", data={
        "csrf": csrf, "kind": "owner", "activity": "kvalitet-k2", "owner": "civilsamhallet"})
    assert decided.status_code == 303
    number, origin = revisions(app)
    assert number == before + 1 and origin is not None and origin.startswith("meeting:")
    page = client.get(PAGE).text
    assert "Ny ansvarig för kvalitet-k2: Det civila samhället" in text_of(page)
    assert "Mötet gick igenom &lt;b&gt;läget&lt;/b&gt;." in page  # escaped

    broken = client.post(PAGE + "/beslut", data={
        "csrf": csrf, "kind": "new_date", "activity": "kvalitet-k2", "decided_day": "snart"})
    assert broken.status_code == 422 and "Ange ett datum som ÅÅÅÅ-MM-DD." in broken.text
    assert revisions(app)[0] == number
    forged = client.post(PAGE + "/beslut", data={"csrf": "x", "kind": "close",
                                                 "activity": "kvalitet-k2"})
    assert forged.status_code in (400, 403) and revisions(app)[0] == number
    assert client.get("/samordnare/planer/lulea/moten/2021-03-19").status_code == 404


def test_days_lokflow_spread_are_marked_assumed_with_a_way_to_set_them(
        site: tuple[App, TestClient], tmp_path: Path) -> None:
    """Luleå's source names no meeting days: lokflow spreads `per_year` over the
    year and the page says so (as the feeds do), linking to where the days are
    set; once the plan names them, the note is gone."""
    app, client = site
    booked = text_of(client.get("/samordnare/planer/lulea/moten").text)
    assert "Mötesdagarna är antagna" not in booked
    load(app, PLANS / "lulea.yaml")  # the bundled file: per_year only
    listing = client.get("/samordnare/planer/lulea/moten").text
    assert "Mötesdagarna är antagna" in text_of(listing)
    assert 'href="/samordnare/planer/lulea/redigera/uppfoljning' in listing
