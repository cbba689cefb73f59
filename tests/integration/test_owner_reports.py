"""The owner's report page over HTTP (FastAPI's TestClient, real SQLite): an
overview grouped by what to do, one short form per activity, Post/Redirect/
Get with a confirmation that says what happens next, all shown escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App
from lokflow.engine.reporting_rounds import open_round
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.support.reporting import (
    KIM,
    RAD,
    activity_id,
    form_of,
    load_two_organisations,
    report_link,
    reports,
    short_form_url,
)


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app)) as web:
        yield web


KEYS = {"k11": "k-1.1", "k12": "k-1.2", "c11": "c-1.1"}


def _id(app: App, short: str) -> int:
    return activity_id(app, KEYS[short])


def _form(client: TestClient, app: App, raw: str, short: str, lang: str = "") -> str:
    page = client.get(short_form_url(raw, _id(app, short)) + lang)
    assert page.status_code == 200
    return page.text


def _fill(app: App, html: str, short: str, **fields: str) -> dict[str, str]:
    """The short form's hidden fields plus its fields given by name."""
    data = form_of(html)
    data.update({f"a{_id(app, short)}-{name}": value for name, value in fields.items()})
    return data


def _report(client: TestClient, app: App, raw: str, short: str, **fields: str):  # type: ignore[no-untyped-def]
    html = _form(client, app, raw, short)
    return client.post(f"/rapport/{raw}", data=_fill(app, html, short, **fields),
                       follow_redirects=False)


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


def test_labels_name_the_party_never_the_raw_id(client: TestClient, app: App) -> None:
    raw = report_link(app, RAD)  # the association answers for k-1.2 and c-1.1, both "1.x"
    pages = [client.get(f"/rapport/{raw}").text,
             _form(client, app, raw, "c11"), _form(client, app, raw, "k12"),
             client.get(f"/rapport/{raw}/aktivitet/{_id(app, 'c11')}").text]
    assert "Civilsamhället 1.1" in pages[0] and "Kommunen 1.2" in pages[0]
    assert "Rapportera Civilsamhället 1.1" in pages[1]
    assert "Rapportera Kommunen 1.2" in pages[2]
    assert "Historik: Civilsamhället 1.1" in pages[3]
    for html in pages:
        assert not re.search(r"\b[ck]-1\.[12]\b", html)


def test_every_page_is_the_municipalitys_with_its_coordinator(client: TestClient,
                                                             app: App) -> None:
    raw = report_link(app, KIM)
    pages = [client.get(f"/rapport/{raw}").text, _form(client, app, raw, "k11"),
             client.get(f"/rapport/{raw}/aktivitet/{_id(app, 'k11')}").text,
             client.get(f"/rapport/{raw}/kalender").text]
    for html in pages:
        header = html[html.index("<header"):html.index("</header>")]
        assert "Testby kommun" in header and "LÖK Testby" in header
        assert "lokflow" not in header
        assert "Kontakta samordnaren Samordnare," in html
        assert 'href="mailto:samordnare@testby.example.org"' in html


def test_overview_groups_by_what_to_do(client: TestClient, app: App,
                                       clock: FixedClock) -> None:
    clock.at = datetime(2024, 9, 20, 9, tzinfo=UTC)  # k-1.2's 2023 prize was never reported
    raw = report_link(app, RAD)
    html = client.get(f"/rapport/{raw}").text
    overdue = html[html.index('id="group-overdue"'):html.index('id="group-now"')]
    assert "Kommunen 1.2" in overdue and "Försenad sedan 1 oktober 2023" in overdue
    now = html[html.index('id="group-now"'):]
    assert "Civilsamhället 1.1" in now and "Nästa avstämning: 1 oktober 2024" in now
    assert "Försenade <span class=\"count\">(1 aktivitet)</span>" in html
    kim = client.get(f"/rapport/{report_link(app, KIM)}").text
    upcoming = kim[kim.index('id="group-upcoming"'):]
    assert "Kommunen 1.1" in upcoming and "Nästa tidpunkt: 31 december 2024" in upcoming
    clock.at = datetime(2025, 9, 20, 9, tzinfo=UTC)  # and the 2024 prize too, a year on
    html = client.get(f"/rapport/{report_link(app, RAD)}").text
    overdue = html[html.index('id="group-overdue"'):html.index("</section>")]
    # the newest missed date, as in the late notice and the short form; the rest counted
    assert "Försenad sedan 1 oktober 2024 och 1 tidigare tillfälle utan rapport" in overdue


def test_an_open_round_puts_everything_in_report_now(client: TestClient, app: App,
                                                     clock: FixedClock) -> None:
    clock.at = datetime(2023, 8, 25, 9, tzinfo=UTC)
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "testby")).one()
        open_round(session, plan, 2023, app.now(), app.today())
    html = client.get(f"/rapport/{report_link(app, KIM)}").text
    assert "Rapporteringsomgången för LÖK Testby är öppen. Rapportera senast 1 oktober 2023." \
        in html
    now = html[html.index('id="group-now"'):]
    assert "Kommunen 1.1" in now and "Kommunen 1.2" in now and "group-upcoming" not in html


def test_short_form_is_accessible_markup(client: TestClient, app: App) -> None:
    html = _form(client, app, report_link(app, KIM), "k11")
    a = f"a{_id(app, 'k11')}"
    for field in ("progress", "comment", "obstacles", "new_date", "reason"):
        assert f'<label for="{a}-{field}">' in html
        assert f'id="{a}-{field}" name="{a}-{field}"' in html
    for value in ("not_started", "in_progress", "done", "delayed", "paused", "cancelled"):
        assert f'<label for="{a}-status-{value}">' in html
    assert html.count("<fieldset") == html.count("<legend>") == 1
    assert 'aria-describedby="' + a + '-progress-hint"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "Rapporten gäller tidpunkten 31 december 2024." in html


def test_a_report_redirects_to_the_overview_with_what_happens_next(
        client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    answer = _report(client, app, raw, "k11", status="in_progress", progress="40",
                     comment="Utkast klart")
    assert answer.status_code == 303
    [saved] = reports(app)
    assert answer.headers["location"] == f"/rapport/{raw}?sparat={saved.id}#main"
    page = client.get(answer.headers["location"]).text
    assert "Tack! Rapporten är sparad" in page and "Kommunen 1.1: pågår, 40 %" in page
    assert "Vad händer nu?" in page and "Samordnaren läser rapporterna: Samordnare." in page
    assert "Kommunen 1.1: nästa påminnelse kommer 29 november 2024" in page
    assert "✓ Rapporterad 10 januari 2023" in page
    assert "rapport(er)" not in page
    assert (saved.status, saved.progress, saved.channel, saved.reporter_name,
            saved.reporter_email, saved.occurrence_key) == (
        "in_progress", 40, "web", "Kim Kultur", KIM, "deadline")
    assert client.get(answer.headers["location"]).text.count("Tack!") == 1  # reload: same page
    assert len(reports(app)) == 1


def test_same_status_for_several(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    page = client.get(f"/rapport/{raw}").text
    data = [*form_of(page).items(), ("status", "in_progress"),
            ("same", str(_id(app, "k11"))), ("same", str(_id(app, "k12")))]
    answer = client.post(f"/rapport/{raw}/samma", content="&".join(
        f"{k}={v}" for k, v in data), headers={"content-type":
                                               "application/x-www-form-urlencoded"},
        follow_redirects=False)
    assert answer.status_code == 303
    shown = client.get(answer.headers["location"]).text
    assert "Tack! 2 rapporter är sparade" in shown
    assert sorted((r.activity_id, r.status, r.occurrence_key) for r in reports(app)) == sorted(
        [(_id(app, "k11"), "in_progress", "deadline"), (_id(app, "k12"), "in_progress", "2023")])
    refused = client.post(f"/rapport/{raw}/samma", data={**form_of(page), "status": "done"})
    assert refused.status_code == 422 and "Kryssa i minst en aktivitet." in refused.text


def test_a_proposed_date_moves_the_occurrence_the_form_showed(
        client: TestClient, app: App, clock: FixedClock) -> None:
    clock.at = datetime(2024, 1, 15, 9, tzinfo=UTC)  # 2023's prize unresolved, 2024's ahead
    raw = report_link(app, KIM)
    html = _form(client, app, raw, "k12")
    assert "Rapporten gäller tidpunkten 1 oktober 2023, som har passerat." in html
    answer = client.post(f"/rapport/{raw}", data=_fill(
        app, html, "k12", status="delayed", new_date="2024-03-01", reason="Juryn saknas"))
    assert answer.status_code == 200
    with app.sessions() as session:
        change = session.scalars(select(t.DateChange)).one()
    assert (change.occurrence_key, change.original_due, change.proposed_date) == (
        "2023", date(2023, 10, 1), date(2024, 3, 1))
    assert "samordnaren godkänner eller avslår det nya datumet 1 mars 2024" in answer.text


def test_no_new_date_for_ongoing_work(client: TestClient, app: App) -> None:
    raw = report_link(app, RAD)
    html = _form(client, app, raw, "c11")
    assert "new_date" not in html and "Behöver datumet flyttas?" not in html
    assert "Rapporten gäller avstämningen 1 april 2023." in html
    forced = client.post(f"/rapport/{raw}", data=_fill(
        app, html, "c11", status="delayed", new_date="2023-06-01", reason="x"))
    assert forced.status_code == 422 and "inte för löpande arbete" in forced.text
    assert reports(app) == []


def test_double_submit_records_one_report(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    data = _fill(app, _form(client, app, raw, "k11"), "k11", status="in_progress",
                 comment="En gång")
    first = client.post(f"/rapport/{raw}", data=data, follow_redirects=False)
    second = client.post(f"/rapport/{raw}", data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(reports(app)) == 1
    with app.sessions() as session:
        assert len(session.scalars(select(t.ActivityEvent).where(
            t.ActivityEvent.kind == "report")).all()) == 1
    _report(client, app, raw, "k11", status="done")  # a new form is a new report
    assert len(reports(app)) == 2


def test_comment_with_script_is_shown_as_text_everywhere(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    evil = "<script>alert(1)</script>"
    saved = _report(client, app, raw, "k11", status="in_progress", comment=evil, obstacles=evil)
    pages = [client.get(saved.headers["location"]).text,
             client.get(f"/rapport/{raw}/aktivitet/{_id(app, 'k11')}").text]
    for html in pages:
        assert evil not in html
    assert pages[1].count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    refused = client.post(f"/rapport/{raw}", data=_fill(
        app, _form(client, app, raw, "k11"), "k11", status="", comment=evil))
    assert refused.status_code == 422 and evil not in refused.text
    assert "&lt;script&gt;" in refused.text
    assert "script-src" not in refused.headers["content-security-policy"]


@pytest.mark.parametrize(("fields", "errors"), [
    ({"comment": "Ingen status"}, {"status": "Välj en status"}),
    ({"status": "finished"}, {"status": "Välj en av statusarna"}),
    ({"status": "done", "progress": "140"}, {"progress": "heltal från 0 till 100"}),
    ({"status": "done", "progress": "4O"}, {"progress": "heltal från 0 till 100"}),
    ({"status": "done", "comment": "x" * 2001}, {"comment": "högst 2000 tecken"}),
    ({"status": "done", "obstacles": "x" * 2001}, {"obstacles": "högst 2000 tecken"}),
    ({"status": "done", "comment": "nul\x00byte"}, {"comment": "otillåtna tecken"}),
    ({"status": "delayed", "new_date": "2023-12-01"}, {"reason": "Skriv ett skäl"}),
    ({"status": "delayed", "reason": "Sent"}, {"new_date": "Ange det nya datumet"}),
    ({"status": "delayed", "new_date": "31/12/2023", "reason": "x"}, {"new_date": "ÅÅÅÅ-MM-DD"}),
    ({"status": "delayed", "new_date": "2022-12-31", "reason": "x"},
     {"new_date": "i dag eller senare"}),
    ({"status": "delayed", "new_date": "2099-01-01", "reason": "x"},
     {"new_date": "högst tio år fram"}),
    ({"status": "done", "reason": "x" * 2001, "new_date": "2023-12-01"},
     {"reason": "högst 2000 tecken"}),
])
def test_bad_input_is_refused_with_errors_next_to_fields(
        client: TestClient, app: App, fields: dict[str, str], errors: dict[str, str]) -> None:
    raw = report_link(app, KIM)
    answer = client.post(f"/rapport/{raw}", data=_fill(app, _form(client, app, raw, "k11"),
                                                       "k11", **fields))
    assert answer.status_code == 422
    html = answer.text
    assert "<title>Fel: " in html and "Det finns fel i formuläret" in html
    for field, text in errors.items():
        field_id = f"a{_id(app, 'k11')}-{field}"
        target = f"{field_id}-not_started" if field == "status" else field_id
        assert f'<a href="#{target}">Kommunen 1.1: ' in html   # the summary links to it
        assert f'id="{target}"' in html
        assert f'id="{field_id}-error"' in html and text in html  # the text beside it
        assert f'{field_id}-error"' in html
        assert 'aria-invalid="true"' in html
    assert reports(app) == []


def test_an_empty_form_asks_for_a_status(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    answer = client.post(f"/rapport/{raw}", data=form_of(_form(client, app, raw, "k11")))
    assert answer.status_code == 422 and "Det finns fel i formuläret" in answer.text
    assert f'id="a{_id(app, "k11")}-status-error"' in answer.text
    assert "Välj en status." in answer.text
    csrf = form_of(client.get(f"/rapport/{raw}").text)["csrf"]
    nothing = client.post(f"/rapport/{raw}", data={"csrf": csrf})
    assert nothing.status_code == 422 and 'id="group-' in nothing.text  # the overview again


def test_english_on_request(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    page = client.get(f"/rapport/{raw}?lang=en").text
    assert '<html lang="en">' in page and "Report status" in page
    assert "Municipality 1.1" in page
    html = _form(client, app, raw, "k11", "?lang=en")
    assert 'action="/rapport/' in html and '?lang=en"' in html and "in progress" in html
    done = client.post(f"/rapport/{raw}?lang=en", data=_fill(app, html, "k11", status="done"),
                       follow_redirects=False)
    assert done.headers["location"].endswith("&lang=en#main")
    shown = client.get(done.headers["location"]).text
    assert "Thank you! The report is saved" in shown and "What happens next?" in shown


def test_history_page_shows_reports_and_date_changes(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    _report(client, app, raw, "k12", status="delayed", comment="Juryn saknas",
            new_date="2023-11-15", reason="Sent beslut")
    html = client.get(f"/rapport/{raw}/aktivitet/{_id(app, 'k12')}").text
    assert "Historik: Kommunen 1.2" in html and "Juryn saknas" in html
    assert "2023-11-15" in html and "väntar på beslut" in html and "Sent beslut" in html
    assert "Kim Kultur (webbformulär)" in html
