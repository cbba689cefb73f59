"""Coordinator pages over HTTP: local login with a signed cookie, the plan
overview with filters, the overdue list, history, and date decisions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.access.accounts import set_password
from lokflow.bootstrap import App
from lokflow.domain.statuses import Status
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.reporting import (
    PASSWORD,
    coordinator,
    hidden,
    load,
    load_two_organisations,
)


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app), follow_redirects=False) as web:
        yield web


def login(client: TestClient, username: str, password: str = PASSWORD,
          next_path: str = "/samordnare") -> httpx.Response:
    form = client.get("/samordnare/logga-in").text
    return client.post("/samordnare/logga-in", data={
        "username": username, "password": password, "next": next_path,
        "csrf": hidden(form, "csrf")})


def report(app: App, key: str, status: Status, plan: str = "testby", **extra: object) -> None:
    with app.sessions.begin() as session:
        activity = session.scalars(select(t.Activity).join(t.Plan).where(
            t.Plan.slug == plan, t.Activity.key == key)).one()
        record_report(session, activity, ReportInput(status=status, reporter_name="Kim Kultur",
                                                     channel="web", **extra),  # type: ignore[arg-type]
                      app.now(), app.today())


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/samordnare", "/samordnare/planer/testby", "/samordnare/planer/testby/datum",
                 "/samordnare/planer/testby/omgang", "/samordnare/planer/testby/forsenade",
                 "/samordnare/aktiviteter", "/samordnare/planer/testby/aktiviteter",
                 "/samordnare/planer/testby/aktiviteter.csv", "/samordnare/planer.xlsx",
                 "/samordnare/planer/testby/utskick", "/samordnare/planer/testby/utskick.csv",
                 "/samordnare/planer/testby/aktivitet/k-1.1/paminn",
                 "/samordnare/planer/testby/aktivitet/k-1.1/rapport",
                 "/samordnare/planer/testby/omgang/paminn", "/samordnare/arsrapporter/jobb/1"):
        answer = client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/samordnare/logga-in?next=/samordnare")


def test_login_sets_a_safe_session_cookie(client: TestClient, app: App) -> None:
    coordinator(app)
    answer = login(client, "anna", next_path="/samordnare/planer/testby")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/samordnare/planer/testby"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/samordnare" in cookie
    assert "secure" not in cookie  # the base URL is http here
    page = client.get("/samordnare/planer/testby")
    assert page.status_code == 200 and "Inloggad som Anna Samordnare" in page.text


def test_cookie_is_secure_behind_https(client: TestClient, app: App) -> None:
    coordinator(app)
    app.settings.base_url = "https://lok.example.org"
    client.base_url = httpx.URL("https://testserver")  # browsers send Secure cookies on https
    answer = login(client, "anna")
    assert answer.status_code == 303
    assert "; secure" in answer.headers["set-cookie"].lower()


@pytest.mark.parametrize(("username", "password"), [
    ("anna", "fel-losenord-helt"), ("okand", PASSWORD), ("anna", "")])
def test_wrong_credentials_are_refused(client: TestClient, app: App, username: str,
                                       password: str) -> None:
    coordinator(app)
    answer = login(client, username, password)
    assert answer.status_code in (401, 422)
    assert "set-cookie" not in answer.headers
    assert client.get("/samordnare").status_code == 303


def test_login_needs_its_csrf_value_and_never_redirects_away(client: TestClient,
                                                             app: App) -> None:
    coordinator(app)
    answer = client.post("/samordnare/logga-in", data={"username": "anna",
                                                        "password": PASSWORD})
    assert answer.status_code == 403
    away = login(client, "anna", next_path="https://evil.example.org/")
    assert away.headers["location"] == "/samordnare"
    client.cookies.clear()
    away = login(client, "anna", next_path="/samordnare//evil.example.org")
    assert away.headers["location"] == "/samordnare"


def test_repeated_failures_are_throttled(client: TestClient, app: App) -> None:
    coordinator(app)
    for _ in range(10):
        assert login(client, "anna", "fel-losenord-igen").status_code == 401
    assert login(client, "anna").status_code == 429


def test_logout_and_password_change_end_the_session(client: TestClient, app: App) -> None:
    coordinator(app)
    login(client, "anna")
    page = client.get("/samordnare")
    assert page.status_code == 200
    assert client.post("/samordnare/logga-ut", data={"csrf": "fel"}).status_code == 403
    out = client.post("/samordnare/logga-ut", data={"csrf": hidden(page.text, "csrf")})
    assert out.status_code == 303 and client.get("/samordnare").status_code == 303
    login(client, "anna")
    assert client.get("/samordnare").status_code == 200
    with app.sessions.begin() as session:
        set_password(session, "anna", "ett-nytt-langt-losenord", app.now())
    assert client.get("/samordnare").status_code == 303


def test_a_coordinator_sees_only_their_organisation(client: TestClient, app: App) -> None:
    coordinator(app)
    login(client, "anna")
    page = client.get("/samordnare").text
    assert "LÖK Testby" in page and "Annanby" not in page
    for path in ("/samordnare/planer/annanby", "/samordnare/planer/annanby/datum",
                 "/samordnare/planer/annanby/aktivitet/k-1.1", "/samordnare/planer/nope",
                 "/samordnare/planer/annanby/aktiviteter", "/samordnare/planer/annanby/utskick",
                 "/samordnare/planer/annanby/aktiviteter.xlsx",
                 "/samordnare/planer/annanby/aktivitet/k-1.1/paminn",
                 "/samordnare/planer/annanby/aktivitet/k-1.1/rapport"):
        assert client.get(path).status_code == 404, path
    assert "annanby" not in client.get("/samordnare/aktiviteter").text.lower()
    assert "annanby" not in client.get("/samordnare/planer.csv").text.lower()


def test_an_admin_sees_every_organisation(client: TestClient, app: App) -> None:
    coordinator(app, "it", organisation=None)
    login(client, "it")
    page = client.get("/samordnare").text
    assert "LÖK Testby" in page and "LÖK Annanby" in page


def test_overview_with_latest_status_and_filters(client: TestClient, app: App) -> None:
    coordinator(app)
    login(client, "anna")
    report(app, "k-1.1", Status.IN_PROGRESS, progress=30)
    table = "/samordnare/planer/testby/aktiviteter"
    page = client.get(table).text
    assert "3 aktiviteter visas." in page and "pågår</strong> (30 %)" in page
    by_owner = client.get(f"{table}?owner=foreningarna").text
    assert "2 aktiviteter visas." in by_owner and "bidragsguide" not in by_owner
    by_status = client.get(f"{table}?status=in_progress").text
    assert "1 aktiviteter visas." in by_status and "bidragsguide" in by_status
    unreported = client.get(f"{table}?status=none").text
    assert "2 aktiviteter visas." in unreported and "bidragsguide" not in unreported
    assert '<option value="foreningarna" selected>' in by_owner


def test_principle_filter(client: TestClient, app: App) -> None:
    load(app, PLANS / "orebro.yaml")
    coordinator(app, "it", organisation=None)
    login(client, "it")
    everything = client.get("/samordnare/planer/orebro/aktiviteter").text
    assert '<label for="f-principle">Princip</label>' in everything
    dialog = client.get("/samordnare/planer/orebro/aktiviteter?principle=dialog").text
    assert dialog.count("<tr>") < everything.count("<tr>")
    assert "14 aktiviteter visas." in everything


def test_overdue_list(client: TestClient, app: App, clock: FixedClock) -> None:
    coordinator(app)
    login(client, "anna")
    assert "Inga försenade aktiviteter." in client.get(
        "/samordnare/planer/testby/forsenade").text
    clock.at = datetime(2025, 2, 3, 9, tzinfo=UTC)
    assert client.get("/samordnare").status_code == 303  # the login has expired meanwhile
    login(client, "anna")
    page = client.get("/samordnare/planer/testby/forsenade").text
    assert "bidragsguide" in page and '<span class="overdue">2024-12-31</span>' in page  # k-1.1
    assert "föreningspriset" in page and '<span class="overdue">2023-10-01</span>' in page
    assert "2 tidpunkter passerade" in page                           # k-1.2: 2023 and 2024
    assert "föreningsregistret" not in page                           # ongoing: check-ins only
    assert page.index("föreningspriset") < page.index("bidragsguide")  # the oldest first
    report(app, "k-1.1", Status.DONE)
    assert "bidragsguide" not in client.get("/samordnare/planer/testby/forsenade").text


def test_history_and_date_decisions(client: TestClient, app: App) -> None:
    coordinator(app)
    login(client, "anna")
    report(app, "k-1.1", Status.DELAYED, comment="<script>alert(1)</script>",
           proposed_date=date(2025, 3, 31), proposed_reason="Budgeten <b>saknas</b>")
    dates = client.get("/samordnare/planer/testby/datum")
    assert "2025-03-31" in dates.text and "Budgeten &lt;b&gt;saknas&lt;/b&gt;" in dates.text
    with app.sessions() as session:
        change = session.scalars(select(t.DateChange)).one()
    url = f"/samordnare/planer/testby/datum/{change.id}"
    reason = "Budgeten beslutas i mars."
    assert client.post(url, data={"decision": "accept", "csrf": "fel",
                                  "reason": reason}).status_code == 403
    assert client.post(url, data={"decision": "accept"}).status_code == 422
    csrf = hidden(dates.text, "csrf")
    foreign = client.post(f"/samordnare/planer/annanby/datum/{change.id}",
                          data={"decision": "accept", "csrf": csrf, "reason": reason})
    assert foreign.status_code == 404
    no_reason = client.post(url, data={"decision": "accept", "csrf": csrf, "reason": "  "})
    assert no_reason.status_code == 422 and "Skriv en motivering till beslutet." in no_reason.text
    assert 'autofocus' in no_reason.text and 'aria-invalid="true"' in no_reason.text
    done = client.post(url, data={"decision": "accept", "csrf": csrf, "reason": reason})
    assert done.status_code == 303 and done.headers["location"].endswith("?beslut=ok")
    assert client.post(url, data={"decision": "reject", "csrf": csrf,
                                  "reason": reason}).status_code == 409
    with app.sessions() as session:
        decided = session.get_one(t.DateChange, change.id)
        assert (decided.decision, decided.decided_by, decided.decision_reason) == (
            "accepted", "Anna Samordnare", reason)
    history = client.get("/samordnare/planer/testby/aktivitet/k-1.1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in history and "<script>" not in history
    assert "godkänt" in history and "Anna Samordnare" in history and reason in history
    assert "Nytt datum godkändes: 2025-03-31" in history
    for internal in ("date_accepted", "date_proposed", "channel:", ">report<", "archived"):
        assert internal not in history, internal
    assert client.get("/samordnare/planer/testby/aktivitet/nope").status_code == 404
    assert "Inga förslag väntar på beslut." in client.get(
        "/samordnare/planer/testby/datum").text


def test_english_coordinator_pages(client: TestClient, app: App) -> None:
    coordinator(app)
    login(client, "anna")
    page = client.get("/samordnare/planer/testby/aktiviteter?lang=en").text
    assert '<html lang="en">' in page and "3 activities shown." in page
    dashboard = client.get("/samordnare/planer/testby?lang=en").text
    assert "LÖK Testby: overview" in dashboard and "Översikt" not in dashboard
