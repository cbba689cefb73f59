"""The owner's report page over HTTP (FastAPI's TestClient, real SQLite):
one form for all of an owner's activities, stored once, shown escaped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.support.reporting import (
    KIM,
    RAD,
    activity_id,
    form_of,
    load_two_organisations,
    report_link,
    reports,
)


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app)) as web:
        yield web


KEYS = {"k11": "k-1.1", "k12": "k-1.2", "c11": "c-1.1"}


def _fill(app: App, html: str, **fields: str) -> dict[str, str]:
    """The page's hidden fields plus `a<id>-<field>` values given as keyword
    arguments like k11_status='in_progress' (for activity k-1.1)."""
    data = form_of(html)
    for name, value in fields.items():
        key, field = name.split("_", 1)
        data[f"a{activity_id(app, KEYS[key])}-{field}"] = value
    return data


def _id(app: App, short: str) -> int:
    return activity_id(app, KEYS[short])


def test_page_lists_exactly_the_owners_activities(client: TestClient, app: App) -> None:
    page = client.get(f"/rapport/{report_link(app, KIM)}")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text and "Rapportera status" in page.text
    assert "Ta fram en bidragsguide." in page.text and "Dela ut föreningspriset." in page.text
    assert "Uppdatera föreningsregistret." not in page.text  # c-1.1 is another owner's
    assert "Hej Kim Kultur!" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    other = client.get(f"/rapport/{report_link(app, RAD)}")
    assert "Uppdatera föreningsregistret." in other.text and "bidragsguide" not in other.text


def test_form_is_accessible_markup(client: TestClient, app: App) -> None:
    html = client.get(f"/rapport/{report_link(app, KIM)}").text
    a = f"a{_id(app, 'k11')}"
    for field in ("status", "progress", "comment", "obstacles", "new_date", "reason"):
        assert f'<label for="{a}-{field}">' in html
        assert f'id="{a}-{field}" name="{a}-{field}"' in html
    assert html.count("<fieldset") == html.count("<legend>") == 4  # 2 activities x (1 + date)
    assert 'aria-describedby="' + a + '-progress-hint"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_one_submit_reports_several_activities(client: TestClient, app: App) -> None:
    url = f"/rapport/{report_link(app, KIM)}"
    page = client.get(url).text
    answer = client.post(url, data=_fill(
        app, page, k11_status="in_progress", k11_progress="40", k11_comment="Utkast klart",
        k12_status="delayed", k12_new_date="2023-11-15", k12_reason="Juryn är inte utsedd"))
    assert answer.status_code == 200
    assert "Tack! Rapporterna är sparade" in answer.text and "2 rapport(er)" in answer.text
    saved = reports(app)
    assert [(r.status, r.progress, r.channel, r.reporter_name, r.reporter_email)
            for r in saved] == [("in_progress", 40, "web", "Kim Kultur", KIM),
                                ("delayed", None, "web", "Kim Kultur", KIM)]
    with app.sessions() as session:
        change = session.scalars(select(t.DateChange)).one()
        assert (change.proposed_date, change.decision) == (date(2023, 11, 15), "pending")
    again = client.get(url).text
    assert "pågår</strong> (40 %)" in again and "försenad" in again


def test_untouched_activities_are_not_reported(client: TestClient, app: App) -> None:
    url = f"/rapport/{report_link(app, KIM)}"
    client.post(url, data=_fill(app, client.get(url).text, k11_status="done"))
    assert [r.activity_id for r in reports(app)] == [_id(app, "k11")]


def test_double_submit_records_one_report(client: TestClient, app: App) -> None:
    url = f"/rapport/{report_link(app, KIM)}"
    data = _fill(app, client.get(url).text, k11_status="in_progress", k11_comment="En gång")
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 200
    assert len(reports(app)) == 1
    with app.sessions() as session:
        assert session.scalar(select(t.ActivityEvent).where(
            t.ActivityEvent.kind == "report")) is not None
        assert len(session.scalars(select(t.ActivityEvent).where(
            t.ActivityEvent.kind == "report")).all()) == 1
    fresh = _fill(app, client.get(url).text, k11_status="done")  # a new form is a new report
    client.post(url, data=fresh)
    assert len(reports(app)) == 2


def test_comment_with_script_is_shown_as_text_everywhere(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    url = f"/rapport/{raw}"
    evil = "<script>alert(1)</script>"
    saved = client.post(url, data=_fill(app, client.get(url).text, k11_status="in_progress",
                                        k11_comment=evil, k11_obstacles=evil))
    pages = [saved.text, client.get(url).text,
             client.get(f"/rapport/{raw}/aktivitet/{_id(app, 'k11')}").text]
    for html in pages:
        assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert pages[2].count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert "script-src" not in saved.headers["content-security-policy"]  # no inline scripts
    # a failed form shows what was typed, escaped too
    refused = client.post(url, data=_fill(app, client.get(url).text, k11_status="",
                                          k11_comment=evil))
    assert refused.status_code == 422 and evil not in refused.text


@pytest.mark.parametrize(("fields", "errors"), [
    ({"k11_comment": "Ingen status"}, {"status": "Välj en status"}),
    ({"k11_status": "finished"}, {"status": "Välj en av statusarna"}),
    ({"k11_status": "done", "k11_progress": "140"}, {"progress": "heltal från 0 till 100"}),
    ({"k11_status": "done", "k11_progress": "4O"}, {"progress": "heltal från 0 till 100"}),
    ({"k11_status": "done", "k11_comment": "x" * 2001}, {"comment": "högst 2000 tecken"}),
    ({"k11_status": "done", "k11_obstacles": "x" * 2001}, {"obstacles": "högst 2000 tecken"}),
    ({"k11_status": "done", "k11_comment": "nul\x00byte"}, {"comment": "otillåtna tecken"}),
    ({"k11_status": "delayed", "k11_new_date": "2023-12-01"}, {"reason": "Skriv ett skäl"}),
    ({"k11_status": "delayed", "k11_reason": "Sent"}, {"new_date": "Ange det nya datumet"}),
    ({"k11_status": "delayed", "k11_new_date": "31/12/2023", "k11_reason": "x"},
     {"new_date": "ÅÅÅÅ-MM-DD"}),
    ({"k11_status": "delayed", "k11_new_date": "2022-12-31", "k11_reason": "x"},
     {"new_date": "i dag eller senare"}),
    ({"k11_status": "delayed", "k11_new_date": "2099-01-01", "k11_reason": "x"},
     {"new_date": "högst tio år fram"}),
    ({"k11_status": "done", "k11_reason": "x" * 2001, "k11_new_date": "2023-12-01"},
     {"reason": "högst 2000 tecken"}),
])
def test_bad_input_is_refused_with_errors_next_to_fields(
        client: TestClient, app: App, fields: dict[str, str], errors: dict[str, str]) -> None:
    url = f"/rapport/{report_link(app, KIM)}"
    answer = client.post(url, data=_fill(app, client.get(url).text, **fields))
    assert answer.status_code == 422
    html = answer.text
    assert "<title>Fel: " in html and "Det finns fel i formuläret" in html
    for field, text in errors.items():
        field_id = f"a{_id(app, 'k11')}-{field}"
        assert f'<a href="#{field_id}">Aktivitet 1.1: ' in html      # the summary links to it
        assert f'id="{field_id}-error"' in html and text in html      # the text beside it
        assert f'aria-describedby="{field_id}' in html or f'{field_id}-error"' in html
        assert 'aria-invalid="true"' in html
    assert reports(app) == []


def test_an_empty_form_asks_for_at_least_one_status(client: TestClient, app: App) -> None:
    url = f"/rapport/{report_link(app, KIM)}"
    answer = client.post(url, data=form_of(client.get(url).text))
    assert answer.status_code == 422 and "minst en aktivitet" in answer.text


def test_english_on_request(client: TestClient, app: App) -> None:
    url = f"/rapport/{report_link(app, KIM)}?lang=en"
    page = client.get(url).text
    assert '<html lang="en">' in page and "Report status" in page and "in progress" in page
    assert 'action="/rapport/' in page and '?lang=en"' in page
    done = client.post(url, data=_fill(app, page, k11_status="done"))
    assert "Thank you! The reports are saved" in done.text


def test_history_page_shows_reports_and_date_changes(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    url = f"/rapport/{raw}"
    client.post(url, data=_fill(app, client.get(url).text, k12_status="delayed",
                                k12_comment="Juryn saknas", k12_new_date="2023-11-15",
                                k12_reason="Sent beslut"))
    html = client.get(f"/rapport/{raw}/aktivitet/{_id(app, 'k12')}").text
    assert "Historik: Aktivitet 1.2" in html and "Juryn saknas" in html
    assert "2023-11-15" in html and "väntar på beslut" in html and "Sent beslut" in html
    assert "Kim Kultur (webbformulär)" in html
