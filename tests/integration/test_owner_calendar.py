"""The calendar section of the owner's overview: short links (Outlook, Google,
Apple), the link to copy, and switching the link off on a page of its own
that asks first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lokflow.bootstrap import App
from lokflow.web.app import create_app
from tests.support.reporting import KIM, RAD, hidden, load_two_organisations, report_link


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app)) as web:
        yield web


def _feed(html: str) -> str:
    """The https link offered to copy."""
    found = re.search(r'id="calendar-link"[^>]*value="([^"]+)"', html)
    assert found, "no link to copy"
    return found.group(1)


def _links(html: str) -> dict[str, str]:
    section = html[html.index('id="kalender"'):]
    return {text: href for href, text in
            re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)}


def test_the_page_offers_the_owners_own_feed(client: TestClient, app: App) -> None:
    page = client.get(f"/rapport/{report_link(app, KIM)}").text
    https = _feed(page)
    assert https.startswith(app.settings.base_url + "/feeds/") and https.endswith(".ics")
    links = _links(page)
    assert links["Prenumerera i Outlook"] == "webcal://" + https.split("://", 1)[1]
    assert links["… i Google Kalender"].startswith(
        "https://calendar.google.com/calendar/render?cid=")
    assert links["Stäng av kalenderlänken"].endswith("/kalender")
    assert 'name="feed"' not in page  # switching off is not a button beside the reports
    feed = client.get(https.removeprefix(app.settings.base_url))
    assert feed.status_code == 200
    assert "k-1.1" in feed.text and "c-1.1" not in feed.text  # Kim's activities only
    assert "SUMMARY:Kommunen 1.1 LÖK Testby: Ta fram en bidragsguide." in feed.text
    again = client.get(f"/rapport/{report_link(app, KIM)}").text
    assert _feed(again) == https  # the same link every time


def test_switching_the_link_off_asks_first_and_issues_a_new_one(client: TestClient,
                                                                app: App) -> None:
    token = report_link(app, KIM)
    old = _feed(client.get(f"/rapport/{token}").text)
    ask = client.get(f"/rapport/{token}/kalender")
    assert ask.status_code == 200 and "Stänga av kalenderlänken?" in ask.text
    assert "Ja, stäng av länken" in ask.text and "Nej, tillbaka" in ask.text
    assert client.get(old.removeprefix(app.settings.base_url)).status_code == 200  # not yet
    answer = client.post(f"/rapport/{token}/kalender", follow_redirects=False, data={
        "csrf": hidden(ask.text, "csrf"), "feed": hidden(ask.text, "feed")})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/rapport/{token}?kalender=ny#kalender"
    shown = client.get(answer.headers["location"]).text
    assert "Den gamla kalenderlänken är avstängd" in shown
    new = _feed(shown)
    assert new != old
    assert client.get(old.removeprefix(app.settings.base_url)).status_code == 404
    assert client.get(new.removeprefix(app.settings.base_url)).status_code == 200


def test_nobody_switches_off_someone_elses_feed(client: TestClient, app: App) -> None:
    kim_token = report_link(app, KIM)
    kim_ask = client.get(f"/rapport/{kim_token}/kalender").text
    rad_token = report_link(app, RAD)
    rad_ask = client.get(f"/rapport/{rad_token}/kalender").text
    refused = client.post(f"/rapport/{rad_token}/kalender", data={
        "csrf": hidden(rad_ask, "csrf"), "feed": hidden(kim_ask, "feed")})
    assert refused.status_code == 403
    forged = client.post(f"/rapport/{rad_token}/kalender", data={
        "csrf": "1.forged", "feed": hidden(rad_ask, "feed")})
    assert forged.status_code == 403
    kim_feed = _feed(client.get(f"/rapport/{kim_token}").text)
    assert client.get(kim_feed.removeprefix(app.settings.base_url)).status_code == 200
