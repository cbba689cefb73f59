"""The calendar section of the owner's report page: the personal feed's
https, webcal and Google links, and switching the link off."""

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


def _feed_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*(?:/feeds/|calendar\.google)[^"]*)"', html)


def test_the_page_offers_the_owners_own_feed(client: TestClient, app: App) -> None:
    page = client.get(f"/rapport/{report_link(app, KIM)}").text
    https, webcal, google = _feed_links(page)
    assert https.startswith(app.settings.base_url + "/feeds/") and https.endswith(".ics")
    assert webcal == "webcal://" + https.split("://", 1)[1]
    assert google.startswith("https://calendar.google.com/calendar/render?cid=")
    feed = client.get(https.removeprefix(app.settings.base_url))
    assert feed.status_code == 200
    assert "k-1.1" in feed.text and "c-1.1" not in feed.text  # Kim's activities only
    again = client.get(f"/rapport/{report_link(app, KIM)}").text
    assert _feed_links(again)[0] == https  # the same link every time


def test_switching_the_link_off_issues_a_new_one(client: TestClient, app: App) -> None:
    token = report_link(app, KIM)
    page = client.get(f"/rapport/{token}").text
    old = _feed_links(page)[0]
    answer = client.post(f"/rapport/{token}/kalender", data={
        "csrf": hidden(page, "csrf"), "feed": hidden(page, "feed")})
    assert answer.status_code == 200
    new = _feed_links(answer.text)[0]
    assert new != old
    assert client.get(old.removeprefix(app.settings.base_url)).status_code == 404
    assert client.get(new.removeprefix(app.settings.base_url)).status_code == 200


def test_nobody_switches_off_someone_elses_feed(client: TestClient, app: App) -> None:
    kim_page = client.get(f"/rapport/{report_link(app, KIM)}").text
    rad_token = report_link(app, RAD)
    rad_page = client.get(f"/rapport/{rad_token}").text
    refused = client.post(f"/rapport/{rad_token}/kalender", data={
        "csrf": hidden(rad_page, "csrf"), "feed": hidden(kim_page, "feed")})
    assert refused.status_code == 403
    forged = client.post(f"/rapport/{rad_token}/kalender", data={
        "csrf": "1.forged", "feed": hidden(rad_page, "feed")})
    assert forged.status_code == 403
    kim_feed = _feed_links(kim_page)[0]
    assert client.get(kim_feed.removeprefix(app.settings.base_url)).status_code == 200
