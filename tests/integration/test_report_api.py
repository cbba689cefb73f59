"""The JSON API with API keys, over HTTP (TestClient on the real app and
database): organisation-scoped, English status names, safe retries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lokflow.access.api_keys import create_api_key, revoke_api_key
from lokflow.bootstrap import App
from lokflow.web.app import create_app
from tests.conftest import FixedClock
from tests.support.reporting import api_key, load_two_organisations, reports

BASE = "/api/v1/plans"


@pytest.fixture
def client(app: App, tmp_path: Path) -> Iterator[TestClient]:
    load_two_organisations(app, tmp_path)
    with TestClient(create_app(app)) as web:
        yield web


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer"}, {"Authorization": "Bearer nope"},
    {"Authorization": "Basic YW5uYTpwdw=="}, {"Authorization": "Bearer " + "A" * 43}])
def test_a_key_is_required(client: TestClient, headers: dict[str, str]) -> None:
    for answer in (client.get(BASE, headers=headers),
                   client.post(f"{BASE}/testby/activities/k-1.1/reports", headers=headers,
                               json={"status": "done", "reporter_name": "x"})):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["detail"] == "login_required"
        assert "API-nyckel" in answer.json()["message"]


def test_plans_and_activities_of_the_keys_organisation(client: TestClient, app: App) -> None:
    key = api_key(app)
    assert [p["slug"] for p in client.get(BASE, headers=auth(key)).json()] == ["testby"]
    activities = client.get(f"{BASE}/testby/activities", headers=auth(key)).json()
    assert [a["id"] for a in activities] == ["k-1.1", "k-1.2", "c-1.1"]
    first = activities[0]
    assert first["owners"] == ["Kultur- och fritidsförvaltningen"] and first["latest"] is None
    assert first["next_due"] == "2024-12-31" and first["timeline"] == "2024"
    one = client.get(f"{BASE}/testby/activities/k-1.2", headers=auth(key)).json()
    assert one["owner_ids"] == ["kultur", "foreningarna"]


def test_other_organisations_data_is_not_found(client: TestClient, app: App) -> None:
    key = api_key(app)
    for path in ("/annanby/activities", "/annanby/activities/k-1.1",
                 "/annanby/activities/k-1.1/reports", "/testby/activities/nope",
                 "/testby/activities/nope/reports"):
        assert client.get(BASE + path, headers=auth(key)).status_code == 404
    posted = client.post(f"{BASE}/annanby/activities/k-1.1/reports", headers=auth(key),
                         json={"status": "done", "reporter_name": "Intrång"})
    assert posted.status_code == 404 and reports(app) == []


def test_a_key_limited_to_one_plan(client: TestClient, app: App) -> None:
    key = api_key(app, plan="testby")
    assert [p["slug"] for p in client.get(BASE, headers=auth(key)).json()] == ["testby"]
    with app.sessions.begin() as session, pytest.raises(ValueError, match="has no plan"):
        create_api_key(session, "testby", "x", app.now(), plan="annanby")


def test_post_and_read_reports(client: TestClient, app: App) -> None:
    key = api_key(app)
    url = f"{BASE}/testby/activities/k-1.1/reports"
    body = {"status": "delayed", "reporter_name": "Ärendesystemet", "progress": 60,
            "comment": "<script>alert(1)</script>", "proposed_date": "2025-03-31",
            "proposed_reason": "Upphandlingen drog ut på tiden"}
    created = client.post(url, headers=auth(key), json=body)
    assert created.status_code == 201
    saved = created.json()
    assert saved["status"] == "delayed" and saved["channel"] == "api"
    assert saved["occurrence"] == "deadline" and saved["comment"] == body["comment"]
    listed = client.get(url, headers=auth(key)).json()
    assert [r["id"] for r in listed] == [saved["id"]]
    activity = client.get(f"{BASE}/testby/activities/k-1.1", headers=auth(key)).json()
    assert activity["latest"]["status"] == "delayed" and activity["pending_dates"] == 1


def test_a_retry_with_the_same_submission_key_is_stored_once(client: TestClient,
                                                             app: App) -> None:
    url = f"{BASE}/testby/activities/k-1.1/reports"
    body = {"status": "done", "reporter_name": "Intranätet", "submission_key": "ticket-4711"}
    first = client.post(url, headers=auth(api_key(app)), json=body).json()
    again = client.post(url, headers=auth(api_key(app)), json=body).json()
    key = api_key(app)
    one = client.post(url, headers=auth(key), json=body).json()
    two = client.post(url, headers=auth(key), json=body).json()
    assert one["id"] == two["id"] and len({first["id"], again["id"], one["id"]}) == 3


@pytest.mark.parametrize("body", [
    {"status": "klar", "reporter_name": "x"},                    # English names only
    {"status": "done"},                                          # who reports is required
    {"status": "done", "reporter_name": "x", "progress": 101},
    {"status": "done", "reporter_name": "x", "comment": "x" * 2001},
    {"status": "done", "reporter_name": "x" * 201},
    {"status": "done", "reporter_name": "x", "proposed_date": "2025-03-31"},   # no reason
    {"status": "done", "reporter_name": "x", "proposed_reason": "ingen dag"},
    {"status": "done", "reporter_name": "x", "unknown": 1},
    {"status": "done", "reporter_name": "x", "comment": "nul\u0000"},
    {"status": "done", "reporter_name": "x", "submission_key": "kort"},
])
def test_invalid_reports_are_refused(client: TestClient, app: App, body: dict[str, object]) -> None:
    answer = client.post(f"{BASE}/testby/activities/k-1.1/reports", headers=auth(api_key(app)),
                         json=body)
    assert answer.status_code == 422
    assert reports(app) == []


def test_revoked_and_expired_keys_stop_working(client: TestClient, app: App,
                                               clock: FixedClock) -> None:
    key = api_key(app)
    assert client.get(BASE, headers=auth(key)).status_code == 200
    with app.sessions.begin() as session:
        expiring = create_api_key(session, "testby", "kort", app.now(), days=1)
        revoke_api_key(session, 1, app.now())
    assert client.get(BASE, headers=auth(key)).status_code == 401
    assert client.get(BASE, headers=auth(expiring.raw)).status_code == 200
    clock.at += timedelta(days=1, seconds=1)
    assert client.get(BASE, headers=auth(expiring.raw)).status_code == 401


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) >= {"/api/v1/plans", "/api/v1/plans/{plan}/activities",
                          "/api/v1/plans/{plan}/activities/{activity}",
                          "/api/v1/plans/{plan}/activities/{activity}/reports"}
    assert not any(p.startswith(("/rapport", "/samordnare")) for p in paths)
    status = spec["components"]["schemas"]["Status"]["enum"]
    assert status == ["not_started", "in_progress", "done", "delayed", "paused", "cancelled"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200
