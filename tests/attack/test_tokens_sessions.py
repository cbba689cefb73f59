"""Attacks on secrets: report links, feed links, API keys, coordinator
sessions and CSRF values. Each door must open for its own secret only, for
its own organisation only, and never mint a different kind of secret."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from lokflow.access import tokens
from lokflow.access.accounts import set_password
from lokflow.access.api_keys import revoke_api_key
from lokflow.annual_report.archive import compile_and_store
from lokflow.bootstrap import App
from lokflow.cli.app import app as cli
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.domain.statuses import Status
from lokflow.feeds.subscriptions import FeedSpec, ensure, personal_feed_url
from lokflow.reporting.report_links import revoke_report_links
from lokflow.reporting.status_reports import ReportInput, record_report
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, FixedClock
from tests.support.reporting import (
    KIM,
    OTHER,
    PASSWORD,
    activity_id,
    api_key,
    coordinator,
    form_of,
    hidden,
    load,
    load_two_organisations,
    organisation_id,
    report_link,
    reports,
)
from tests.support.smtp_server import SmtpServer

ZONE = ZoneInfo("Europe/Stockholm")
NOT_FOUND = "Sidan finns inte, eller länken är inte längre giltig."


@pytest.fixture
def web(app: App, tmp_path: Path) -> FastAPI:
    load_two_organisations(app, tmp_path)
    return create_app(app)


@pytest.fixture
def client(web: FastAPI) -> Iterator[TestClient]:
    with TestClient(web, follow_redirects=False) as found:
        yield found


def login(client: TestClient, username: str = "anna") -> httpx.Response:
    form = client.get("/samordnare/logga-in").text
    answer = client.post("/samordnare/logga-in", data={
        "username": username, "password": PASSWORD, "csrf": hidden(form, "csrf")})
    assert answer.status_code == 303, answer.text
    return answer


def logged_in(client: TestClient) -> bool:
    answer = client.get("/samordnare")
    assert answer.status_code in (200, 303)
    return answer.status_code == 200


def tampered(raw: str) -> list[str]:
    """Near misses of a real secret: a flipped character at each end, one too
    few, one too many, and the same length in the other case."""
    flip = {c: d for c, d in zip("Aa0-_", "Bb1_-", strict=True)}
    first = flip.get(raw[0], "A") + raw[1:]
    last = raw[:-1] + flip.get(raw[-1], "A")
    return [first, last, raw[:-1], raw + "A", raw.swapcase()]


def personal_feed(app: App, email: str = KIM, organisation: str = "testby") -> str:
    with app.sessions.begin() as session:
        url = personal_feed_url(session, app, email, organisation_id(app, organisation))
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def report_token_count(app: App) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(t.AccessToken).where(
            t.AccessToken.scope == tokens.REPORT)) or 0


def link_requests(app: App) -> list[t.OutboxItem]:
    with app.sessions() as session:
        return list(session.scalars(select(t.OutboxItem).where(
            t.OutboxItem.kind == "report_link").order_by(t.OutboxItem.id)))


# --- feed tokens grant reading their feed and nothing else -------------------


def test_a_personal_feed_token_never_mints_a_report_link(client: TestClient, app: App) -> None:
    raw = personal_feed(app)
    before = report_token_count(app)
    for _ in range(5):
        page = client.get(f"/feeds/{raw}/rapport")
        assert page.status_code == 200, page.headers.get("location")
        assert "location" not in page.headers
        assert not re.search(r"/rapport/[A-Za-z0-9_-]{20,}", page.text)
        posted = client.post(f"/feeds/{raw}/rapport", data={"csrf": hidden(page.text, "csrf")})
        assert posted.status_code == 200
        assert not re.search(r"/rapport/[A-Za-z0-9_-]{20,}", posted.text)
    assert report_token_count(app) == before  # nothing was issued to the requester
    assert client.get(f"/rapport/{raw}").status_code == 404  # the feed token opens no form


def test_the_feed_page_emails_a_fresh_link_to_the_address_on_file(
    client: TestClient, app: App, smtp_server: SmtpServer
) -> None:
    raw = personal_feed(app)
    feed = client.get(f"/feeds/{raw}.ics").text.replace("\r\n ", "")
    assert f"{app.settings.base_url}/feeds/{raw}/rapport" in feed  # the event's link
    page = client.get(f"/feeds/{raw}/rapport")
    assert '<html lang="sv">' in page.text and "e-post" in page.text
    answer = client.post(f"/feeds/{raw}/rapport", data={"csrf": hidden(page.text, "csrf")})
    assert answer.status_code == 200
    [request] = link_requests(app)
    assert request.recipient_email == KIM
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(
        SmtpSettings.from_url(smtp_server.url))).run())
    [email] = smtp_server.to(KIM)
    body = email.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "rapportlänk" in str(email["Subject"]).lower()
    found = re.search(rf"{re.escape(app.settings.base_url)}/rapport/([A-Za-z0-9_-]+)", text)
    assert found, text
    opened = client.get(f"/rapport/{found.group(1)}")
    assert opened.status_code == 200 and "bidragsguide" in opened.text  # Kim's own form
    assert [r.envelope_to for r in smtp_server.handler.received] == [[KIM]]


class ServerLog(logging.Handler):
    """The lines the web server logs (lokflow logs to uvicorn's server log)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.logger = logging.getLogger("uvicorn.error")

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def __enter__(self) -> ServerLog:
        self.level_before = self.logger.level
        self.logger.setLevel(logging.INFO)
        self.logger.addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level_before)


def test_link_requests_are_rate_limited_and_answered_alike(
    client: TestClient, app: App, clock: FixedClock
) -> None:
    raw = personal_feed(app)
    with app.sessions.begin() as session:  # a personal feed whose address is nobody's now
        gone = ensure(session, app, FeedSpec("contact", "testby/gone@testby.example.org")).raw
    assert gone

    def ask(token: str) -> httpx.Response:
        page = client.get(f"/feeds/{token}/rapport")
        return client.post(f"/feeds/{token}/rapport", data={"csrf": hidden(page.text, "csrf")})

    with ServerLog() as log:
        answers = [ask(raw), ask(raw), ask(raw), ask(gone)]
        assert len(link_requests(app)) == 1  # at most one per contact and hour
        assert {a.status_code for a in answers} == {200}
        assert len({a.text for a in answers}) == 1  # queued, limited or nobody: the same page
        clock.at += timedelta(minutes=61)
        ask(raw)
        assert len(link_requests(app)) == 2
    logged = [line for line in log.lines if "report link" in line]
    assert len(logged) == 5 and all(raw not in line and gone not in line for line in logged)
    assert any("queued" in line for line in logged) and any("limit" in line for line in logged)


def test_the_feed_page_needs_its_csrf_value(client: TestClient, app: App) -> None:
    raw = personal_feed(app)
    other = personal_feed(app, "rad@testby.example.org")
    stolen = hidden(client.get(f"/feeds/{other}/rapport").text, "csrf")
    for data in ({}, {"csrf": ""}, {"csrf": "1.abc"}, {"csrf": stolen}):
        assert client.post(f"/feeds/{raw}/rapport", data=data).status_code == 403
    assert link_requests(app) == []


def test_only_a_live_personal_feed_has_a_report_page(client: TestClient, app: App) -> None:
    with app.sessions.begin() as session:
        shared = [ensure(session, app, spec).raw for spec in (
            FeedSpec("plan", "testby"), FeedSpec("owner", "testby/kultur"),
            FeedSpec("organisation", "testby"))]
    raw = personal_feed(app)
    with app.sessions.begin() as session:
        revoked = ensure(session, app, FeedSpec("contact", f"testby/{KIM}", language="en"))
        revoked.row.revoked_at = app.now()
    for token in [*shared, revoked.raw, *tampered(raw), "A" * 43, "kort"]:
        for answer in (client.get(f"/feeds/{token}/rapport"),
                       client.post(f"/feeds/{token}/rapport", data={"csrf": "x"})):
            assert answer.status_code == 404, token
    assert link_requests(app) == []


def test_a_feed_token_opens_no_other_door(client: TestClient, app: App) -> None:
    raw = personal_feed(app)
    assert client.get(f"/rapport/{raw}").status_code == 404
    assert client.get("/api/v1/plans", headers={"Authorization": f"Bearer {raw}"}
                      ).status_code == 401
    for near in tampered(raw):
        assert client.get(f"/feeds/{near}.ics").status_code == 404


# --- report links ------------------------------------------------------------


def test_a_tampered_report_link_opens_nothing(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    data = form_of(client.get(f"/rapport/{raw}").text)
    data[f"a{activity_id(app, 'k-1.1')}-status"] = "done"
    for near in tampered(raw):
        for answer in (client.get(f"/rapport/{near}"),
                       client.post(f"/rapport/{near}", data=data),
                       client.get(f"/rapport/{near}/aktivitet/{activity_id(app, 'k-1.1')}")):
            assert answer.status_code == 404 and NOT_FOUND in answer.text
    assert reports(app) == []


def test_another_organisations_link_reaches_only_its_own(client: TestClient, app: App) -> None:
    raw = report_link(app, OTHER, organisation="annanby")
    page = client.get(f"/rapport/{raw}").text
    assert "Annanby" in page and "LÖK Testby" not in page
    data = form_of(page)
    data[f"a{activity_id(app, 'k-1.1')}-status"] = "done"  # testby's activity
    assert client.post(f"/rapport/{raw}", data=data).status_code == 403
    assert client.get(f"/rapport/{raw}/aktivitet/{activity_id(app, 'k-1.1')}").status_code == 403
    assert reports(app) == []


def test_expired_and_revoked_report_links_are_refused(client: TestClient, app: App,
                                                      clock: FixedClock) -> None:
    expiring, revoked = report_link(app, KIM, days=1), report_link(app, KIM)
    with app.sessions.begin() as session:
        for row in session.scalars(select(t.AccessToken).where(
                t.AccessToken.token_hash == tokens.hash_token(revoked))):
            row.revoked_at = app.now()
    clock.at += timedelta(days=1, seconds=1)
    for raw in (expiring, revoked):
        answer = client.get(f"/rapport/{raw}")
        assert answer.status_code == 403 and "bidragsguide" not in answer.text
    with app.sessions.begin() as session:
        assert revoke_report_links(session, KIM, app.now()) == 0  # both already dead


@pytest.mark.parametrize("csrf", ["missing", "empty", "garbage", "another link's", "expired"])
def test_the_owner_form_needs_its_own_csrf_value(client: TestClient, app: App,
                                                 clock: FixedClock, csrf: str) -> None:
    raw = report_link(app, KIM)
    page = client.get(f"/rapport/{raw}").text
    data = form_of(page)
    data[f"a{activity_id(app, 'k-1.1')}-status"] = "done"
    switch = {"feed": hidden(client.get(f"/rapport/{raw}/kalender").text, "feed")}
    if csrf == "missing":
        del data["csrf"]
    elif csrf == "empty":
        data["csrf"] = ""
    elif csrf == "garbage":
        data["csrf"] = data["csrf"][:-4] + "0000"
    elif csrf == "another link's":
        data["csrf"] = form_of(client.get(f"/rapport/{report_link(app, KIM)}").text)["csrf"]
    else:
        clock.at += timedelta(hours=25)
    if "csrf" in data:
        switch["csrf"] = data["csrf"]
    assert client.post(f"/rapport/{raw}", data=data).status_code == 403
    assert client.post(f"/rapport/{raw}/kalender", data=switch).status_code == 403
    assert reports(app) == []
    with app.sessions() as session:
        assert session.scalars(select(t.AccessToken.id).where(
            t.AccessToken.scope == tokens.FEED, t.AccessToken.revoked_at.is_not(None))).all() == []


# --- API keys ------------------------------------------------------------------


def test_an_api_key_works_only_in_its_scope(client: TestClient, app: App, tmp_path: Path,
                                           clock: FixedClock) -> None:
    second = tmp_path / "testby-2.yaml"  # a second plan of the same organisation
    second.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "slug: testby\norganisation", "slug: testby-2\norganisation"), encoding="utf-8")
    load(app, second)
    plan_key, org_key = api_key(app, "testby", plan="testby"), api_key(app, "testby")

    def get(key: str, path: str) -> httpx.Response:
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {key}"})

    assert [p["slug"] for p in get(org_key, "/plans").json()] == ["testby", "testby-2"]
    assert [p["slug"] for p in get(plan_key, "/plans").json()] == ["testby"]
    assert get(plan_key, "/plans/testby-2/activities").status_code == 404
    assert get(org_key, "/plans/annanby/activities").status_code == 404
    posted = client.post("/api/v1/plans/annanby/activities/k-1.1/reports",
                         headers={"Authorization": f"Bearer {org_key}"},
                         json={"status": "done", "reporter_name": "Intrång"})
    assert posted.status_code == 404 and reports(app) == []
    for near in tampered(org_key):
        assert get(near, "/plans").status_code == 401
    assert get(report_link(app, KIM), "/plans").status_code == 401
    expiring = api_key(app, "testby")
    with app.sessions.begin() as session:
        row = session.scalars(select(t.AccessToken).where(
            t.AccessToken.token_hash == tokens.hash_token(expiring))).one()
        row.expires_at = app.now() + timedelta(days=1)
        revoke_api_key(session, session.scalars(select(t.AccessToken.id).where(
            t.AccessToken.token_hash == tokens.hash_token(org_key))).one(), app.now())
    assert get(org_key, "/plans").status_code == 401
    assert get(expiring, "/plans").status_code == 200
    clock.at += timedelta(days=1, seconds=1)
    assert get(expiring, "/plans").status_code == 401
    assert client.get(f"/rapport/{plan_key}").status_code == 404


# --- coordinator sessions ------------------------------------------------------


def test_logging_out_kills_the_session_on_the_server(web: FastAPI, app: App) -> None:
    coordinator(app)
    with TestClient(web, follow_redirects=False) as browser:
        login(browser)
        stolen = dict(browser.cookies)
        page = browser.get("/samordnare")
        out = browser.post("/samordnare/logga-ut", data={"csrf": hidden(page.text, "csrf")})
        assert out.status_code == 303
    with TestClient(web, follow_redirects=False, cookies=stolen) as replay:
        assert not logged_in(replay)  # the copied cookie is dead, not just deleted


def test_sessions_are_random_and_stored_only_hashed(web: FastAPI, app: App) -> None:
    coordinator(app)
    cookies = []
    for _ in range(2):  # the same user at the same instant: two different sessions
        with TestClient(web, follow_redirects=False) as browser:
            login(browser)
            cookies.append(browser.cookies["lokflow_session"])
    assert cookies[0] != cookies[1]
    dump = "\n".join(sqlite3.connect(app.settings.home / "lokflow.db").iterdump())
    for raw in cookies:
        assert raw not in dump and len(raw) >= 40
        assert hashlib.sha256(raw.encode()).hexdigest() in dump


def test_a_tampered_or_expired_session_cookie_is_refused(web: FastAPI, app: App,
                                                         clock: FixedClock) -> None:
    coordinator(app)
    with TestClient(web, follow_redirects=False) as browser:
        login(browser)
        raw = browser.cookies["lokflow_session"]
    for near in [*tampered(raw), "1." + raw, ""]:
        with TestClient(web, follow_redirects=False,
                        cookies={"lokflow_session": near}) as forged:
            assert not logged_in(forged), near
    with TestClient(web, follow_redirects=False, cookies={"lokflow_session": raw}) as same:
        assert logged_in(same)
        clock.at += timedelta(hours=app.settings.session_hours, seconds=1)
        assert not logged_in(same)


def test_password_change_and_cli_logout_end_every_session(
    web: FastAPI, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator(app)
    coordinator(app, "bertil")
    browsers = [TestClient(web, follow_redirects=False) for _ in range(3)]
    for browser, user in zip(browsers, ["anna", "anna", "bertil"], strict=True):
        login(browser, user)
    monkeypatch.setenv("LOKFLOW_HOME", str(app.settings.home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(app.settings.home)
    result = CliRunner().invoke(cli, ["users", "logout", "anna"])
    assert result.exit_code == 0, result.output
    assert "2 session(s)" in result.output
    assert [logged_in(b) for b in browsers] == [False, False, True]
    for browser in browsers[:2]:
        login(browser)
    with app.sessions.begin() as session:
        set_password(session, "anna", "ett-nytt-langt-losenord", app.now())
    assert [logged_in(b) for b in browsers] == [False, False, True]
    assert CliRunner().invoke(cli, ["users", "logout", "nobody"]).exit_code == 1
    for browser in browsers:
        browser.close()


# --- CSRF ------------------------------------------------------------------------


def test_the_login_csrf_value_is_bound_to_the_browser(web: FastAPI, app: App) -> None:
    """Login CSRF: a value the attacker fetched must not log the victim in
    (into the attacker's account) from another browser."""
    coordinator(app, "mallory")
    with TestClient(web, follow_redirects=False) as attacker:
        value = hidden(attacker.get("/samordnare/logga-in").text, "csrf")
    with TestClient(web, follow_redirects=False) as victim:
        forged = {"username": "mallory", "password": PASSWORD, "csrf": value}
        answer = victim.post("/samordnare/logga-in", data=forged)
        assert answer.status_code == 403 and "lokflow_session" not in victim.cookies
        victim.get("/samordnare/logga-in")  # even with a pre-session cookie of its own
        answer = victim.post("/samordnare/logga-in", data=forged)
        assert answer.status_code == 403 and "lokflow_session" not in victim.cookies
        assert not logged_in(victim)


@pytest.fixture
def proposals(app: App, web: FastAPI) -> dict[str, int]:
    """A pending date proposal in each organisation."""
    found = {}
    ids = {plan: activity_id(app, "k-1.1", plan=plan) for plan in ("testby", "annanby")}
    with app.sessions.begin() as session:
        for plan in ("testby", "annanby"):
            activity = session.get_one(t.Activity, ids[plan])
            record_report(session, activity, ReportInput(
                status=Status.DELAYED, reporter_name="Kim", channel="api",
                proposed_date=date(2025, 3, 31), proposed_reason=f"{plan}s skäl"),
                app.now(), app.today())
    with app.sessions() as session:
        for change in session.scalars(select(t.DateChange)):
            plan = session.get_one(t.Activity, change.activity_id).plan.slug
            found[plan] = change.id
    return found


def decisions(app: App) -> list[str]:
    with app.sessions() as session:
        return list(session.scalars(select(t.DateChange.decision).order_by(t.DateChange.id)))


def rounds(app: App) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(t.ReportingRound)) or 0


@pytest.mark.parametrize("csrf", ["missing", "empty", "garbage", "another user's",
                                  "a logged-out session's", "expired"])
def test_every_coordinator_post_needs_this_sessions_csrf_value(
    web: FastAPI, app: App, clock: FixedClock, proposals: dict[str, int], csrf: str
) -> None:
    coordinator(app)
    coordinator(app, "bertil")
    app.settings.session_hours = 48  # so that only the CSRF value expires
    with TestClient(web, follow_redirects=False) as other:
        login(other, "bertil")
        bertils = hidden(other.get("/samordnare").text, "csrf")
    with TestClient(web, follow_redirects=False) as earlier:
        login(earlier)
        old = hidden(earlier.get("/samordnare").text, "csrf")
        earlier.post("/samordnare/logga-ut", data={"csrf": old})
    browser = TestClient(web, follow_redirects=False)
    login(browser)
    good = hidden(browser.get("/samordnare").text, "csrf")
    value = {"missing": None, "empty": "", "garbage": good[:-4] + "0000",
             "another user's": bertils, "a logged-out session's": old, "expired": good}[csrf]
    if csrf == "expired":
        clock.at += timedelta(hours=25)
    posts = [("/samordnare/logga-ut", {}),
             (f"/samordnare/planer/testby/datum/{proposals['testby']}", {"decision": "accept"}),
             ("/samordnare/planer/testby/omgang", {"action": "open", "year": "2023"})]
    for path, data in posts:
        answer = browser.post(path, data=data if value is None else {**data, "csrf": value})
        assert answer.status_code in (403, 422), (path, answer.status_code)
    assert decisions(app) == ["pending", "pending"] and rounds(app) == 0
    assert logged_in(browser)  # the forged logout ended nothing
    browser.close()


def test_a_coordinator_reaches_nothing_of_another_organisation_by_id(
    client: TestClient, app: App, proposals: dict[str, int]
) -> None:
    with app.sessions.begin() as session:
        report = compile_and_store(session, "annanby", 2024, datetime(2024, 12, 1, tzinfo=UTC),
                                   zone=ZONE).id
    coordinator(app)
    login(client)
    csrf = hidden(client.get("/samordnare").text, "csrf")
    other_activity = activity_id(app, "k-1.1", plan="annanby")
    for path, data in [
        (f"/samordnare/planer/testby/datum/{proposals['annanby']}", {"decision": "accept"}),
        (f"/samordnare/planer/annanby/datum/{proposals['annanby']}", {"decision": "reject"}),
        ("/samordnare/planer/annanby/omgang", {"action": "open", "year": "2023"}),
    ]:
        assert client.post(path, data={**data, "csrf": csrf}).status_code == 404, path
    for path in ("/samordnare/planer/annanby/aktivitet/k-1.1",
                 f"/samordnare/planer/testby/aktivitet/{other_activity}",
                 *(f"/samordnare/arsrapporter/{report}/"
                   f"arlig-uppfoljning-annanby-2024.{suffix}" for suffix in
                   ("pdf", "html", "md", "xlsx"))):
        answer = client.get(path)
        assert answer.status_code == 404 and "annanbys skäl" not in answer.text, path
    assert decisions(app) == ["pending", "pending"] and rounds(app) == 0
