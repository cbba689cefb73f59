"""The plan editor over HTTP (FastAPI's TestClient, real SQLite through the
migrations): a contact changed as a new version with its reason and diff,
a new activity with a checked timeline, problems next to their fields,
restore, and two coordinators saving at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.integration.test_coordinator import login
from tests.support.html_forms import as_data, form_fields, replaced
from tests.support.reporting import coordinator, load_two_organisations

UNIT = "/samordnare/planer/testby/redigera/ansvarig/kultur"
NEW_ACTIVITY = "/samordnare/planer/testby/redigera/ny-aktivitet/k1"


@pytest.fixture
def app(either_settings: Settings, clock: FixedClock) -> Iterator[App]:
    """Every editor test on SQLite and on PostgreSQL."""
    application = bootstrap(either_settings, clock=clock)
    yield application
    application.close()


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    coordinator(app)
    with TestClient(create_app(app), follow_redirects=False) as web:
        login(web, "anna")
        yield web


def revisions(app: App, slug: str = "testby") -> list[t.PlanRevision]:
    with app.sessions() as session:
        return list(session.scalars(select(t.PlanRevision).join(t.Plan).where(
            t.Plan.slug == slug).order_by(t.PlanRevision.number)))


def contacts(app: App, unit: str) -> list[tuple[str, str, bool]]:
    with app.sessions() as session:
        return sorted((c.name, c.email, c.archived) for c in session.scalars(
            select(t.Contact).where(t.Contact.unit_key == unit, t.Contact.kind == "contact")
            .join(t.Plan, t.Plan.id == t.Contact.plan_id).where(t.Plan.slug == "testby")))


def save(client: TestClient, path: str, **values: str) -> tuple[int, str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text
    answer = client.post(path, data=as_data(replaced(form_fields(page.text, path), **values)))
    return answer.status_code, answer.headers.get("location", ""), answer.text


def test_a_contact_changed_in_the_web_is_a_new_version(client: TestClient, app: App) -> None:
    status, where, _ = save(client, UNIT, contacts__0__name="Lo Nyström",
                            contacts__0__email="lo@testby.example.org",
                            reason="Kim har slutat")
    assert (status, where) == (303, "/samordnare/planer/testby/historik/2?sparad=1")
    assert contacts(app, "kultur") == [("Kim Kultur", "kim@testby.example.org", True),
                                       ("Lo Nyström", "lo@testby.example.org", False)]
    latest = revisions(app)[-1]
    assert (latest.number, latest.source, latest.reason) == (2, "web", "Kim har slutat")
    assert latest.author == "Anna Samordnare (anna)"
    assert {(c["section"], c["key"], c["field"], c["old"], c["new"]) for c in latest.changes} == {
        ("unit", "kultur", "contacts[0].name", "Kim Kultur", "Lo Nyström"),
        ("unit", "kultur", "contacts[0].email", "kim@testby.example.org",
         "lo@testby.example.org")}
    page = client.get(where).text
    assert "Kim Kultur" in page and "Lo Nyström" in page and "Kim har slutat" in page
    assert "Kontaktpersoner 1 › E-post" in page


def test_a_save_needs_a_reason_and_says_where_the_problems_are(client: TestClient,
                                                                app: App) -> None:
    status, _, page = save(client, UNIT, contacts__0__email="not-an-address", reason="")
    assert status == 422
    assert 'id="f-contacts-0-email-error"' in page and "ingen giltig e-postadress" in page
    assert 'aria-invalid="true"' in page and "Skriv en kort förklaring" in page
    assert len(revisions(app)) == 1


def test_a_new_activity_with_its_timeline_checked(client: TestClient, app: App) -> None:
    # An exact range here, so that the dates below are the autumn's last three months;
    # the browser journey writes "Under hösten 2026".
    page = client.get(NEW_ACTIVITY).text
    fields = replaced(form_fields(page, NEW_ACTIVITY), id="k-1.3", number="1.3",
                      text="Höstens föreningsträff", timeline="2024-09-01..2024-11-30",
                      reason="Ny aktivitet")
    fields.append(("owners", "kultur"))
    checked = client.post(NEW_ACTIVITY, data=as_data([*fields, ("action", "check")]))
    assert checked.status_code == 200
    assert "Tidsplanen tolkas som: genomförs under en period" in checked.text
    assert "Nästa tidpunkter:</strong> 2024-11-30" in checked.text
    assert "före första tidpunkten:</strong> 2024-10-31, 2024-11-22, 2024-11-29" in checked.text
    assert len(revisions(app)) == 1
    saved = client.post(NEW_ACTIVITY, data=as_data(fields))
    assert saved.status_code == 303
    with app.sessions() as session:
        row = session.scalars(select(t.Activity).where(t.Activity.key == "k-1.3")).one()
        assert (row.timeline, row.schedule["kind"], row.owner_keys) == (
            "2024-09-01..2024-11-30", "window", ["kultur"])
    bad = replaced(fields, timeline="Någon gång snart", id="k-1.4")
    refused = client.post(NEW_ACTIVITY, data=as_data(bad))
    assert refused.status_code == 422 and "Tidsplanen ”Någon gång snart” går inte att tolka" \
        in refused.text


def test_the_timeline_fragment_for_the_script(client: TestClient) -> None:
    answer = client.get("/samordnare/planer/testby/redigera-tidsplan",
                        params={"text": "2024-09-01..2024-11-30"})
    assert answer.status_code == 200 and "2024-11-30" in answer.text
    assert "går inte att tolka" in client.get("/samordnare/planer/testby/redigera-tidsplan",
                                              params={"text": "xyz"}).text


def test_restore_is_a_new_version(client: TestClient, app: App) -> None:
    save(client, UNIT, contacts__0__name="Lo Nyström", reason="Kim har slutat")
    page = client.get("/samordnare/planer/testby/historik/1").text
    fields = replaced(form_fields(page, "/aterstall"), reason="Fel person")
    answer = client.post("/samordnare/planer/testby/historik/1/aterstall", data=as_data(fields))
    assert answer.status_code == 303
    latest = revisions(app)[-1]
    assert (latest.number, latest.source, latest.restored_from) == (3, "restore", 1)
    assert latest.document == revisions(app)[0].document
    assert ("Kim Kultur", "kim@testby.example.org", False) in contacts(app, "kultur")


def test_two_coordinators_saving_at_once_never_overwrite(client: TestClient,
                                                        app: App) -> None:
    first = client.get(UNIT).text
    second = client.get(UNIT).text
    ok = client.post(UNIT, data=as_data(replaced(form_fields(first, UNIT),
                                         contacts__0__name="Lo Nyström", reason="Ny kontakt")))
    assert ok.status_code == 303
    late = client.post(UNIT, data=as_data(replaced(form_fields(second, UNIT),
                                           contacts__0__name="Mo Berg", reason="Annan kontakt")))
    assert late.status_code == 409
    assert "Någon annan har ändrat planen" in late.text
    assert "Lo Nyström" in late.text and "Mo Berg" in late.text
    assert [r.number for r in revisions(app)] == [1, 2]
    assert ("Lo Nyström", "kim@testby.example.org", False) in contacts(app, "kultur")
    again = client.post(UNIT, data=as_data(replaced(form_fields(late.text, UNIT),
                                                    reason="Ändå Mo")))
    assert again.status_code == 303 and revisions(app)[-1].number == 3


def test_other_organisations_plans_stay_hidden(client: TestClient) -> None:
    assert client.get("/samordnare/planer/testby/redigera").status_code == 200
    assert client.get("/samordnare/planer/testby/export.xlsx").status_code == 200
    for path in ("/samordnare/planer/annanby/redigera", "/samordnare/planer/annanby/historik",
                 "/samordnare/planer/annanby/redigera/ansvarig/kultur",
                 "/samordnare/planer/annanby/export.xlsx"):
        assert client.get(path).status_code == 404


def test_every_post_needs_the_csrf_value(client: TestClient, app: App) -> None:
    fields = [(n, v) for n, v in form_fields(client.get(UNIT).text, UNIT) if n != "csrf"]
    assert client.post(UNIT, data=as_data(replaced(fields, reason="x y z"))).status_code == 403
    assert len(revisions(app)) == 1


def test_the_editor_in_english(client: TestClient) -> None:
    page = client.get("/samordnare/planer/testby/redigera?lang=en").text
    assert "Edit LÖK Testby" in page and "Responsible units and contacts" in page
    form = client.get(UNIT + "?lang=en").text
    assert "Why is the plan changed?" in form and "Contacts" in form
