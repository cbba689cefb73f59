"""What a report link must never allow: reading or writing another owner's
activities, working after expiry or revocation, accepting forged or malformed
tokens, or accepting a form without its CSRF value."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lokflow.access import tokens
from lokflow.bootstrap import App
from lokflow.reporting.report_links import revoke_report_links
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.support.reporting import (
    KIM,
    OTHER,
    RAD,
    activity_id,
    form_of,
    load_two_organisations,
    owner_form,
    report_link,
    reports,
)


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app)) as web:
        yield web


def _form(client: TestClient, raw: str) -> dict[str, str]:
    return owner_form(client, raw)


def test_owner_cannot_read_another_owners_activity(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    foreign = [activity_id(app, "c-1.1"), activity_id(app, "k-1.1", plan="annanby")]
    pages = [client.get(f"/rapport/{raw}/aktivitet/{i}") for i in [*foreign, 999999]]
    assert [p.status_code for p in pages] == [403, 403, 403]
    assert len({p.text for p in pages}) == 1  # existing or not: the very same page
    assert "föreningsregistret" not in pages[0].text
    assert client.get(f"/rapport/{raw}/aktivitet/abc").status_code == 403
    assert client.get(f"/rapport/{raw}/aktivitet/{activity_id(app, 'k-1.1')}").status_code == 200


@pytest.mark.parametrize("target", ["c-1.1", "annanby:k-1.1", "missing"])
def test_owner_cannot_write_another_owners_activity(client: TestClient, app: App,
                                                    target: str) -> None:
    raw = report_link(app, KIM)
    data = _form(client, raw)
    if target == "missing":
        foreign = 999999
    elif target.startswith("annanby:"):
        foreign = activity_id(app, target.split(":")[1], plan="annanby")
    else:
        foreign = activity_id(app, target)
    data[f"a{foreign}-status"] = "done"
    data[f"a{foreign}-key"] = "abcdefghijklmnop"
    data[f"a{activity_id(app, 'k-1.1')}-status"] = "done"  # a legitimate part as well
    answer = client.post(f"/rapport/{raw}", data=data)
    assert answer.status_code == 403
    assert reports(app) == []  # nothing at all is stored, not even the legitimate part


def test_another_organisation_sees_only_its_own(client: TestClient, app: App) -> None:
    page = client.get(f"/rapport/{report_link(app, OTHER, organisation='annanby')}").text
    assert "Annanby" in page and "LÖK Testby" not in page
    # a testby link for an annanby address opens nothing
    empty = client.get(f"/rapport/{report_link(app, OTHER)}").text
    assert "inga öppna aktiviteter" in empty


def test_expired_link_is_refused(client: TestClient, app: App, clock: FixedClock) -> None:
    raw = report_link(app, KIM)
    data = _form(client, raw)
    data[f"a{activity_id(app, 'k-1.1')}-status"] = "done"
    clock.at += timedelta(days=61)
    for answer in (client.get(f"/rapport/{raw}"), client.post(f"/rapport/{raw}", data=data)):
        assert answer.status_code == 403
        assert "Länken har gått ut" in answer.text and "Skicka en ny länk" in answer.text
        assert "bidragsguide" not in answer.text
    assert reports(app) == []


def test_revoked_link_is_refused(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    assert client.get(f"/rapport/{raw}").status_code == 200
    with app.sessions.begin() as session:
        assert revoke_report_links(session, KIM, app.now()) == 1
    assert client.get(f"/rapport/{raw}").status_code == 403
    other = report_link(app, RAD)  # someone else's link still works
    assert client.get(f"/rapport/{other}").status_code == 200


@pytest.mark.parametrize("raw", [
    "A" * 43,                                    # well-formed but never issued (forged)
    "abc",                                       # too short
    "x" * 101,                                   # too long
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",       # not token characters
    "åäöåäöåäöåäöåäöåäöåäöåäöåäö",
])
def test_forged_or_malformed_token_is_not_found(client: TestClient, raw: str) -> None:
    for answer in (client.get(f"/rapport/{raw}"), client.post(f"/rapport/{raw}", data={}),
                   client.get(f"/rapport/{raw}/aktivitet/1")):
        assert answer.status_code == 404
        assert "Sidan finns inte, eller länken är inte längre giltig." in answer.text
        assert "<script>" not in answer.text


def test_a_token_of_another_scope_does_not_open_the_page(client: TestClient, app: App) -> None:
    with app.sessions.begin() as session:
        org = session.get_one(t.Plan, 1).organisation_id
        api = tokens.issue(session, scope=tokens.API, organisation_id=org,
                           subject={"email": KIM}, now=app.now(), valid_for=None).raw
    assert client.get(f"/rapport/{api}").status_code == 404


@pytest.mark.parametrize("csrf", ["missing", "empty", "garbage", "other-link", "expired"])
def test_form_without_a_valid_csrf_value_is_refused(client: TestClient, app: App,
                                                    clock: FixedClock, csrf: str) -> None:
    raw = report_link(app, KIM)
    data = _form(client, raw)
    data[f"a{activity_id(app, 'k-1.1')}-status"] = "done"
    data[f"a{activity_id(app, 'k-1.1')}-comment"] = "Behåll mig"
    if csrf == "missing":
        del data["csrf"]
    elif csrf == "empty":
        data["csrf"] = ""
    elif csrf == "garbage":
        data["csrf"] = data["csrf"][:-4] + "0000"
    elif csrf == "other-link":
        data["csrf"] = _form(client, report_link(app, KIM))["csrf"]
    else:
        clock.at += timedelta(hours=25)
    answer = client.post(f"/rapport/{raw}", data=data)
    assert answer.status_code == 403
    assert "Formuläret hade gått ut" in answer.text
    assert "Behåll mig" in answer.text  # what was typed is kept, to send again
    assert reports(app) == []
    retry = form_of(answer.text)  # the re-shown form carries a fresh, valid value
    data.update(csrf=retry["csrf"])
    assert client.post(f"/rapport/{raw}", data=data).status_code == 200
    assert len(reports(app)) == 1


def test_oversized_body_is_refused(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    answer = client.post(f"/rapport/{raw}", content=b"a=" + b"x" * 2_100_000,
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413


def test_submission_keys_are_per_link(client: TestClient, app: App) -> None:
    """Reusing another owner's form key must not swallow one's own report."""
    shared = activity_id(app, "k-1.2")  # both Kim and the association answer for it
    kim, rad = report_link(app, KIM), report_link(app, RAD)
    kim_form, rad_form = _form(client, kim), _form(client, rad)
    rad_form[f"a{shared}-key"] = kim_form[f"a{shared}-key"]
    kim_form[f"a{shared}-status"] = rad_form[f"a{shared}-status"] = "in_progress"
    assert client.post(f"/rapport/{kim}", data=kim_form).status_code == 200
    assert client.post(f"/rapport/{rad}", data=rad_form).status_code == 200
    assert [r.reporter_email for r in reports(app)] == [KIM, RAD]


def test_a_chunked_oversized_body_is_cut_off(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)

    def chunks() -> Iterator[bytes]:
        yield b"a="
        for _ in range(40):
            yield b"x" * 100_000

    answer = client.post(f"/rapport/{raw}", content=chunks(),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413


@pytest.mark.parametrize(("body", "content_type"), [
    (b"a1-status=done&csrf=x", "multipart/form-data; boundary=x"),
    (b"a1-status=\xff\xfe", "application/x-www-form-urlencoded"),
])
def test_odd_bodies_are_bad_requests(client: TestClient, app: App, body: bytes,
                                     content_type: str) -> None:
    answer = client.post(f"/rapport/{report_link(app, KIM)}", content=body,
                         headers={"content-type": content_type})
    assert answer.status_code == 400 and reports(app) == []


def test_an_expired_link_offers_a_new_one(client: TestClient, app: App, clock: FixedClock,
                                          caplog: pytest.LogCaptureFixture) -> None:
    """The owner types their address; a contact gets a new link by email, a
    stranger's address gets nothing, and both read the same answer."""
    from sqlalchemy import select

    raw = report_link(app, KIM)
    clock.at += timedelta(days=61)
    page = client.get(f"/rapport/{raw}")
    assert page.status_code == 403 and 'action="/rapport/' in page.text
    csrf = form_of(page.text)["csrf"]
    caplog.set_level("INFO", logger="uvicorn.error")
    answers = [client.post(f"/rapport/{raw}/ny-lank", data={"csrf": csrf, "email": email})
               for email in ("Kim@Testby.example.org", "stranger@example.org", KIM)]
    texts = {a.text for a in answers}
    assert len(texts) == 1 and "Om adressen tillhör en kontaktperson" in texts.pop()
    with app.sessions() as session:
        queued = session.scalars(select(t.OutboxItem).where(
            t.OutboxItem.kind == "report_link")).all()
    assert [q.recipient_email for q in queued] == [KIM]  # one, though asked twice
    logged = [r.getMessage() for r in caplog.records if "expired link" in r.getMessage()]
    assert logged[0].endswith("queued") and logged[1].endswith("no such contact")
    assert logged[2].endswith("rate limited")
    assert not any(raw in m or KIM in m for m in logged)
    bad = client.post(f"/rapport/{raw}/ny-lank", data={"csrf": csrf, "email": "inte en adress"})
    assert bad.status_code == 422 and "Skriv en e-postadress" in bad.text
    forged = client.post(f"/rapport/{raw}/ny-lank", data={"csrf": "1.x", "email": KIM})
    assert "Formuläret hade gått ut" in forged.text
    unknown = client.post(f"/rapport/{'A' * 43}/ny-lank", data={"csrf": csrf, "email": KIM})
    assert unknown.status_code in (403, 404)


def test_new_link_requests_are_limited_per_link(client: TestClient, app: App,
                                                clock: FixedClock) -> None:
    from sqlalchemy import select

    raw = report_link(app, KIM)
    clock.at += timedelta(days=61)
    csrf = form_of(client.get(f"/rapport/{raw}").text)["csrf"]
    for n in range(12):
        client.post(f"/rapport/{raw}/ny-lank", data={"csrf": csrf, "email": f"x{n}@example.org"})
    client.post(f"/rapport/{raw}/ny-lank", data={"csrf": csrf, "email": KIM})  # the 13th ask
    with app.sessions() as session:
        assert session.scalars(select(t.OutboxItem)).all() == []
