"""Importing in the web: upload, the mapping step with the columns found and
the first rows, unknown owners mapped or created, the preview, and the save
as a new version; hostile and oversized uploads answered with a page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lokflow.benchmarks.hostile_workbooks import huge_dimensions
from lokflow.bootstrap import App, FixedClock, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.integration.test_coordinator import login
from tests.support.html_forms import as_data, form_fields, replaced
from tests.support.reporting import coordinator, load_two_organisations
from tests.support.seed_tables import as_xlsx

IMPORT = "/samordnare/planer/testby/import"
ROWS = [["Nr", "Vad ska göras", "Ansvar", "Klart"],
        ["1.", "Kommunen åtar sig att stödja föreningslivet."],
        ["1.1", "Ta fram en bidragsguide.", "Kultur- och fritidsförvaltningen", "2025"],
        ["1.2", "Dela ut föreningspriset.", "Kulturförvaltningen; Alla föreningar", "Årligen"],
        ["1.3", "Starta ett föreningsråd", "Föreningsrådet", "2024"]]


@pytest.fixture
def app(either_settings: Settings, clock: FixedClock) -> Iterator[App]:
    """Every import test on SQLite and on PostgreSQL."""
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


def upload(client: TestClient, name: str, raw: bytes) -> str:
    csrf = dict(form_fields(client.get(IMPORT).text, IMPORT))["csrf"]
    answer = client.post(IMPORT, data={"csrf": csrf}, files={"file": (name, raw)})
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_mapping_step_owners_preview_and_save(client: TestClient, app: App) -> None:
    where = upload(client, "plan.xlsx", as_xlsx([("Kommunens åtaganden", ROWS)]))
    page = client.get(where).text
    assert "Vad ska göras" in page and "Kultur- och fritidsförvaltningen" in page  # first rows
    assert '<option value="text" selected>Aktivitet</option>' in page  # by the word "Vad"
    assert "Ansvariga som inte finns i planen" in page and "Föreningsrådet" in page
    assert "(liknar: Kultur- och fritidsförvaltningen)" in page  # a suggestion
    fields = form_fields(page, where)
    chosen = {"Föreningsrådet": "new", "Kulturförvaltningen": "kultur"}
    owners = {n.replace("owner_name.", "owner__"): chosen[v] for n, v in fields
              if n.startswith("owner_name.")}
    preview = client.post(where, data=as_data(replaced(fields, **owners, action="refresh")))
    assert preview.status_code == 200
    # new: the unit foreningsradet and activity 1.3; archived: commitment c1 and c-1.1
    assert "Nytt (2)" in preview.text and "Arkiveras (2)" in preview.text
    fields = replaced(form_fields(preview.text, where), reason="Import från Excel")
    saved = client.post(where, data=as_data([*fields, ("action", "apply")]))
    assert saved.status_code == 303, saved.text
    with app.sessions() as session:
        rows = {a.key: (a.timeline, a.owner_keys, a.archived) for a in session.scalars(
            select(t.Activity).join(t.Plan).where(t.Plan.slug == "testby"))}
        units = set(session.scalars(select(t.Unit.key).join(t.Plan).where(t.Plan.slug == "testby")))
    assert rows["k-1.1"] == ("2025", ["kultur"], False)
    assert rows["k-1.2"] == ("Årligen", ["kultur", "foreningarna"], False)
    assert rows["c-1.1"][2] is True
    new = [k for k in rows if k not in ("k-1.1", "k-1.2", "c-1.1")]
    assert len(new) == 1 and rows[new[0]][1] == ["foreningsradet"] and "foreningsradet" in units


def test_columns_can_be_changed_in_the_mapping_step(client: TestClient) -> None:
    rows = [["Punkt", "Beskrivning", "Vem", "Övrigt"], ["1.1", "Ta fram en bidragsguide.",
                                                       "Kultur- och fritidsförvaltningen", "2025"]]
    where = upload(client, "plan.xlsx", as_xlsx([("Kommunens åtaganden", rows)]))
    page = client.get(where).text
    fields = form_fields(page, where)
    column = next(n for n, v in fields if n.startswith("header.") and v == "Övrigt")
    changed = replaced(fields, **{column.replace("header", "role").replace(".", "__"):
                                  "timeline"}, action="refresh")
    preview = client.post(where, data=as_data(changed))
    assert preview.status_code == 200
    assert "Tidsplanen ”Följs upp” " not in preview.text
    assert "2025" in preview.text and "Problem i filen" not in preview.text


def test_hostile_and_oversized_uploads(client: TestClient) -> None:
    where = upload(client, "bomb.xlsx", huge_dimensions())
    page = client.get(where)
    assert page.status_code == 200 and "Ett blad är för stort" in page.text
    csrf = dict(form_fields(client.get(IMPORT).text, IMPORT))["csrf"]
    big = client.post(IMPORT, data={"csrf": csrf}, files={"file": ("big.xlsx", b"0" * (7 << 20))})
    assert big.status_code == 413
    wrong = client.post(IMPORT, data={"csrf": csrf}, files={"file": ("plan.exe", b"MZ")})
    assert wrong.status_code == 422 and "Filtypen känns inte igen" in wrong.text


def test_uploads_belong_to_their_coordinator(client: TestClient, app: App) -> None:
    where = upload(client, "plan.xlsx", as_xlsx([("Kommunens åtaganden", ROWS)]))
    coordinator(app, "bertil")
    with TestClient(create_app(app), follow_redirects=False) as other:
        login(other, "bertil")
        assert other.get(where).status_code == 404
