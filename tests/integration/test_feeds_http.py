"""The feed URL over HTTP: headers, conditional GET (304), HEAD, and the
same bare 404 for every token that does not open a feed. In-process through
the ASGI app, and once through a real `lokflow serve`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from lokflow.access import tokens
from lokflow.bootstrap import App
from lokflow.feeds.http_cache import http_date
from lokflow.feeds.subscriptions import FeedSpec, ensure, links, revoke
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.feed_data import sync
from tests.support.web_server import WebServer

CONTACT = FeedSpec("contact", "testby/kim@testby.example.org")


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    sync(app, FIXTURES / "minimal.yaml")
    with TestClient(create_app(app)) as client:
        yield client


def _path(app: App, spec: FeedSpec) -> str:
    with app.sessions.begin() as session:
        raw = ensure(session, app, spec).raw
    assert raw
    return links(app.settings, raw).https.removeprefix(app.settings.base_url)


def test_a_feed_is_served_as_text_calendar_with_validators(client: TestClient, app: App) -> None:
    response = client.get(_path(app, FeedSpec("plan", "testby")))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, no-cache"
    assert response.headers["etag"].startswith('"') and response.headers["last-modified"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "LÖK Testby" and calendar.walk("VEVENT")


def test_304_on_matching_etag_or_unchanged_date(
    client: TestClient, app: App, clock: FixedClock
) -> None:
    path = _path(app, FeedSpec("plan", "testby"))
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    clock.at += timedelta(hours=2)  # last_used_at moves; the feed must not
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    older = http_date(datetime(2020, 1, 1, tzinfo=UTC))
    assert client.get(path, headers={"If-Modified-Since": older}).status_code == 200
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get(path).content == first.content


def test_head_gives_the_headers_of_get_without_a_body(client: TestClient, app: App) -> None:
    path = _path(app, FeedSpec("plan", "testby"))
    full = client.get(path)
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    assert head.headers["etag"] == full.headers["etag"]
    assert head.headers["content-type"] == full.headers["content-type"]


def test_unknown_malformed_and_revoked_tokens_get_the_same_404(
    client: TestClient, app: App
) -> None:
    path = _path(app, FeedSpec("plan", "testby"))
    with app.sessions.begin() as session:
        revoked = ensure(session, app, FeedSpec("plan", "testby", alarm=False))
        revoke(session, app, revoked.row.id)
    assert revoked.raw
    answers = [client.get(f"/feeds/{token}.ics") for token in (
        "A" * 43, "short", "%2e%2e%2fsecret", "x" * 300, revoked.raw)]
    answers.append(client.get(path.replace(".ics", "")))
    for answer in answers:
        assert answer.status_code == 404
        assert answer.json() == {"detail": "not_found"}
        assert "etag" not in answer.headers
    assert client.get(path).status_code == 200


def test_the_report_link_of_a_personal_feed_offers_an_email_not_a_token(
    client: TestClient, app: App
) -> None:
    feed = _path(app, CONTACT)
    body = client.get(feed).text.replace("\r\n ", "")
    link = feed.removesuffix(".ics") + "/rapport"
    assert f"{app.settings.base_url}{link}" in body
    answer = client.get(link, follow_redirects=False)
    assert answer.status_code == 200 and "location" not in answer.headers
    assert "Skicka en ny rapportlänk till min e-post" in answer.text
    with app.sessions() as session:
        assert session.scalars(select(t.AccessToken).where(
            t.AccessToken.scope == tokens.REPORT)).all() == []
    plan_feed = _path(app, FeedSpec("plan", "testby")).removesuffix(".ics")
    assert client.get(plan_feed + "/rapport", follow_redirects=False).status_code == 404


def test_a_real_server_serves_a_subscribable_feed(app: App, settings: Settings) -> None:
    sync(app, PLANS / "tierp.yaml")
    server = WebServer(settings.home).start()
    try:
        base = app.settings.model_copy(update={"base_url": server.base_url})
        with app.sessions.begin() as session:
            raw = ensure(session, app, FeedSpec("plan", "tierp")).raw
        assert raw
        url = links(base, raw).https
        first = httpx.get(url, timeout=10)
        assert first.status_code == 200 and b"BEGIN:VCALENDAR" in first.content
        assert Calendar.from_ical(first.content).walk("VEVENT")
        cached = httpx.get(url, headers={"If-None-Match": first.headers["etag"]}, timeout=10)
        assert cached.status_code == 304
        head = httpx.head(url, timeout=10)
        assert head.headers["content-length"] == str(len(first.content))
        assert httpx.get(url.replace(raw, raw[::-1]), timeout=10).status_code == 404
    finally:
        server.stop()


def test_webcal_and_google_links(settings: Settings, tmp_path: Path) -> None:
    found = links(settings.model_copy(update={"base_url": "https://lok.example.org/"}), "tok")
    assert found.https == "https://lok.example.org/feeds/tok.ics"
    assert found.webcal == "webcal://lok.example.org/feeds/tok.ics"
    assert found.google == ("https://calendar.google.com/calendar/render?cid="
                            "https%3A%2F%2Flok.example.org%2Ffeeds%2Ftok.ics")
