"""Every plan field the later issues added (named days, commissioner, inferred
values, placeholder contacts, confirmed dates outside the period, the parties'
names, the sender, the public page, the assessors, joint activities, a unit's
party) survives every path: YAML export -> read, XLSX export -> import, and
each web form saved as shown (then the YAML export of the stored revision is
the same file). One edit through the forms sets the new kinds of field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from lokflow.access.accounts import add_user
from lokflow.bootstrap import App
from lokflow.domain.plan_document import PlanDocument
from lokflow.plan_import.mapping import Mapping
from lokflow.plan_import.service import prepare
from lokflow.plans.export_yaml import export_yaml
from lokflow.plans.plan_edits import checked
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.plans.plan_reading import current_document
from lokflow.plans.workbooks import export_workbook
from lokflow.web.app import create_app
from tests.conftest import FIXTURES
from tests.integration.test_coordinator import login
from tests.integration.test_plan_transfer import cells
from tests.support.html_forms import as_data, form_fields, replaced
from tests.support.reporting import PASSWORD


def every_field() -> dict[str, Any]:
    """minimal.yaml with each merged field set to a value that is not its default."""
    data = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
    data.update({
        "named_dates": {"budget": "06-15", "fullmaktige": "2024-11-20"},
        "party_names": {"municipality": "Testby", "civil_society": "Föreningarna",
                        "joint": "Gemensamt"},
        "sender": {"name": "Testby kommun", "email": "lok@testby.example.org"},
        "public": True,
    })
    data["follow_up"].update({
        "inferred": ["annual_date"], "joint_needs_both": False,
        "assessors": {"municipality": ["kim@testby.example.org"],
                      "civil_society": ["rad@testby.example.org"]},
        "dialogue_meetings": {"per_year": 2, "dates": ["03-01", "09-01"],
                              "inferred": ["dates", "per_year"]},
    })
    kultur, foreningarna = data["units"]
    kultur["party"] = "municipality"
    foreningarna["party"] = "civil_society"
    foreningarna["contacts"][0]["placeholder"] = True
    first = data["commitments"][0]["activities"][0]
    first.update({"commissioner": "Kultur- och fritidsnämnden", "executor": "Kim Kultur",
                  "inferred": ["timeline", "executor"], "timeline": "2026",
                  "outside_period": True})
    data["commitments"][0]["activities"][1]["timeline"] = "Inför budget 2024"
    return data


DOCUMENT = PlanDocument.model_validate(every_field())


def test_the_document_is_a_valid_plan_with_every_field_set() -> None:
    assert checked(DOCUMENT.model_dump(mode="json")) == DOCUMENT
    dumped = DOCUMENT.model_dump(mode="json", exclude_defaults=True)
    for name in ("named_dates", "party_names", "sender", "public"):
        assert name in dumped
    assert {"inferred", "joint_needs_both", "assessors"} <= dumped["follow_up"].keys()


def test_yaml_export_and_back() -> None:
    text = export_yaml(DOCUMENT)
    for written in ("budget: 06-15", "joint_needs_both: false", "public: true",
                    "outside_period: true", "placeholder: true", "commissioner:"):
        assert written in text, written
    again = PlanDocument.model_validate(yaml.safe_load(text))
    assert again == DOCUMENT
    assert export_yaml(again) == text


def test_xlsx_export_and_import() -> None:
    first = export_workbook(DOCUMENT)
    found = prepare(first, "testby.xlsx", None, Mapping(), "sv")
    assert (found.kind, found.problems, found.document) == ("workbook", [], DOCUMENT)
    assert found.document is not None
    assert cells(export_workbook(found.document)) == cells(first)
    plan_sheet = {row[0]: row[1] for row in cells(first)["Plan"]}
    assert plan_sheet["named_dates"] == "budget: 06-15\nfullmaktige: 2024-11-20"
    assert plan_sheet["follow_up.joint_needs_both"] is False


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "testby.yaml"
    path.write_text(export_yaml(DOCUMENT), encoding="utf-8")
    plans, errors = read_plans([path])
    assert errors == []
    with app.sessions.begin() as session:
        sync_plans(session, plans, app.clock)
        add_user(session, "admin", PASSWORD, "Admin", None, app.now())
    with TestClient(create_app(app), follow_redirects=False) as web:
        login(web, "admin")
        yield web


def stored(app: App) -> PlanDocument:
    with app.read() as session:
        return current_document(session, "testby")[1]


def test_every_form_saved_as_shown_keeps_every_field(app: App, client: TestClient) -> None:
    base = "/samordnare/planer/testby/redigera"
    paths = [f"{base}/uppgifter", f"{base}/uppfoljning",
             *(f"{base}/ansvarig/{u.id}" for u in DOCUMENT.units),
             *(f"{base}/atagande/{c.id}" for c in DOCUMENT.commitments),
             *(f"{base}/aktivitet/{a.id}" for _, a in DOCUMENT.activities())]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        answer = client.post(path, data=as_data(replaced(form_fields(page.text, path),
                                                         reason="Ingen ändring")))
        assert answer.status_code == 303, (path, answer.text[-2000:])
        assert answer.headers["location"].endswith("?oforandrad=1"), path
    assert stored(app) == DOCUMENT
    assert export_yaml(stored(app)) == export_yaml(DOCUMENT)


def test_the_forms_set_the_new_kinds_of_field(app: App, client: TestClient) -> None:
    """Named days as 'name: day' lines, inferred values as checkboxes."""
    base = "/samordnare/planer/testby/redigera"
    path = f"{base}/uppgifter"
    fields = replaced(form_fields(client.get(path).text, path), reason="Nya dagar",
                      named_dates="budget: 05-30\nval: 2024-09-08")
    assert client.post(path, data=as_data(fields)).status_code == 303
    path = f"{base}/aktivitet/k-1.1"
    fields = [(k, v) for k, v in form_fields(client.get(path).text, path)
              if not (k == "inferred" and v == "executor")]
    fields = replaced(fields, reason="Utföraren står i källan")
    assert client.post(path, data=as_data(fields)).status_code == 303
    document = stored(app)
    assert document.named_dates == {"budget": "05-30", "val": "2024-09-08"}
    activity = next(a for _, a in document.activities() if a.id == "k-1.1")
    assert activity.inferred == ["timeline"]
    assert (activity.commissioner, activity.outside_period) == (
        "Kultur- och fritidsnämnden", True)
    path = f"{base}/uppgifter"
    fields = replaced(form_fields(client.get(path).text, path), reason="Fel",
                      named_dates="budget den femtonde juni")
    answer = client.post(path, data=as_data(fields))
    assert answer.status_code == 422 and 'id="f-named_dates-error"' in answer.text
    assert stored(app).named_dates == {"budget": "05-30", "val": "2024-09-08"}
