"""Every form of the editor, saved as it is shown, changes nothing: each part
of all five seed plans (details, follow-up, every unit, commitment and
activity) survives the trip through the HTML form and back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from lokflow.access.accounts import add_user
from lokflow.bootstrap import App
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.web.app import create_app
from tests.conftest import PLANS
from tests.integration.test_coordinator import login
from tests.support.html_forms import as_data, form_fields, replaced
from tests.support.reporting import PASSWORD

SEEDS = read_plans([PLANS])[0]


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with app.sessions.begin() as session:
        sync_plans(session, SEEDS, app.clock)
        add_user(session, "admin", PASSWORD, "Admin", None, app.now())
    with TestClient(create_app(app), follow_redirects=False) as web:
        login(web, "admin")
        yield web


@pytest.mark.parametrize("seed", SEEDS, ids=[s.document.slug for s in SEEDS])
def test_every_form_saved_unchanged_changes_nothing(client: TestClient, seed: object) -> None:
    document = seed.document  # type: ignore[attr-defined]
    base = f"/samordnare/planer/{document.slug}/redigera"
    paths = [f"{base}/uppgifter", f"{base}/uppfoljning",
             *(f"{base}/ansvarig/{u.id}" for u in document.units),
             *(f"{base}/atagande/{c.id}" for c in document.commitments),
             *(f"{base}/aktivitet/{a.id}" for _, a in document.activities())]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        answer = client.post(path, data=as_data(replaced(form_fields(page.text, path),
                                                         reason="Ingen ändring")))
        assert answer.status_code == 303, (path, answer.text[-3000:])
        assert answer.headers["location"].endswith("?oforandrad=1"), (path, answer.headers)
