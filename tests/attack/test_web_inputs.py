"""Hostile web input: oversized and lying bodies, NUL bytes, invalid UTF-8,
huge ids, malformed values. Every answer is a 2xx/4xx with a Swedish page (or
JSON under /api/), never a 500, and nothing is stored on a 4xx. The real app
runs in-process (FastAPI's TestClient, or its ASGI interface directly where a
test must lie about Content-Length); the memory case runs under uvicorn."""

from __future__ import annotations

import asyncio
import json
import select
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lokflow.bootstrap import App
from lokflow.web.app import create_app
from tests.support.reporting import (
    KIM,
    PASSWORD,
    activity_id,
    api_key,
    coordinator,
    form_of,
    hidden,
    load_two_organisations,
    report_link,
    reports,
)

API = "/api/v1/plans/testby/activities/k-1.1/reports"
HUGE_ID = str(2**63)
SWEDISH_ERROR = "Något gick fel"


@pytest.fixture
def web(app: App, tmp_path: Path) -> FastAPI:
    load_two_organisations(app, tmp_path)
    return create_app(app)


@pytest.fixture
def client(web: FastAPI) -> Iterator[TestClient]:
    with TestClient(web, follow_redirects=False, raise_server_exceptions=False) as test:
        yield test


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def login(client: TestClient, app: App) -> str:
    """Log a coordinator in; returns the CSRF value of their pages."""
    coordinator(app)
    form = client.get("/samordnare/logga-in").text
    answer = client.post("/samordnare/logga-in", data={
        "username": "anna", "password": PASSWORD, "csrf": hidden(form, "csrf")})
    assert answer.status_code == 303
    return hidden(client.get("/samordnare/planer/testby/datum").text, "csrf")


def assert_swedish_page(answer: httpx.Response, status: int, text: str = "") -> None:
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in answer.text and SWEDISH_ERROR in answer.text
    assert text in answer.text
    for leak in ("Traceback", "Error", "detail", "OverflowError", "sqlalchemy"):
        assert leak not in answer.text


# ---- ids and malformed path values: a Swedish page, never a 500 -----------------------


def test_huge_ids_in_coordinator_urls_are_not_found(client: TestClient, app: App) -> None:
    csrf = login(client, app)
    answers = [
        client.post(f"/samordnare/planer/testby/datum/{HUGE_ID}",
                    data={"decision": "accept", "csrf": csrf}),
        client.get(f"/samordnare/arsrapporter/{HUGE_ID}/testby-2024.pdf"),
        client.get(f"/samordnare/arsrapporter/{2**64}/testby-2024.html"),
        client.get("/samordnare/arsrapporter/-1/testby-2024.html"),
    ]
    for answer in answers:
        assert_swedish_page(answer, 404, "Sidan finns inte")


def test_non_ascii_digits_are_refused_not_crashed(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    assert_swedish_page(client.get(f"/rapport/{raw}/aktivitet/²³"), 403)
    page = client.get(f"/rapport/{raw}").text
    answer = client.post(f"/rapport/{raw}/kalender", data={"csrf": hidden(page, "csrf"),
                                                           "feed": "²"})
    assert_swedish_page(answer, 403)
    login(client, app)
    year = client.get("/samordnare/planer/testby/omgang", params={"year": "²⁰²³"})
    assert year.status_code == 200 and "Rapporteringsomgång" in year.text


def test_validation_errors_on_pages_are_swedish_pages(client: TestClient, app: App) -> None:
    csrf = login(client, app)
    bad = [client.post("/samordnare/planer/testby/datum/1",
                       data={"decision": "maybe", "csrf": csrf}),
           client.post("/samordnare/planer/testby/omgang",
                       data={"csrf": csrf, "action": "open", "year": "1"})]
    for answer in bad:
        assert_swedish_page(answer, 422, "Uppgifterna kunde inte tas emot")
    english = client.post("/samordnare/planer/testby/omgang?lang=en",
                          data={"csrf": csrf, "action": "open", "year": "1"})
    assert english.status_code == 422 and '<html lang="en">' in english.text
    assert "The details could not be accepted" in english.text
    # A table's filter it cannot use is named above the table, which still shows.
    table = client.get("/samordnare/planer/testby/aktiviteter", params={"owner": "x" * 65})
    assert table.status_code == 200 and '<html lang="sv">' in table.text
    assert "Ett filter kunde inte användas och är borttaget." in table.text


def test_unknown_pages_and_methods_are_swedish_pages(client: TestClient) -> None:
    assert_swedish_page(client.get("/finns-inte"), 404, "Sidan finns inte")
    assert_swedish_page(client.delete("/samordnare"), 405)
    api = client.get("/api/v1/finns-inte")
    assert api.status_code == 404 and api.json()["detail"] == "not_found"


def test_an_unexpected_error_is_a_swedish_page_and_logged(
        client: TestClient, app: App, caplog: pytest.LogCaptureFixture) -> None:
    raw, key = report_link(app, KIM), api_key(app)
    with app.engine.begin() as connection:  # a real fault: a table is gone
        connection.exec_driver_sql("ALTER TABLE activities RENAME TO activities_gone")
    page = client.get(f"/rapport/{raw}")
    assert_swedish_page(page, 500, "Försök igen senare")
    assert raw not in page.text
    english = client.get(f"/rapport/{raw}?lang=en")
    assert english.status_code == 500 and "Try again later" in english.text
    api = client.get("/api/v1/plans/testby/activities", headers=auth(key))
    assert api.status_code == 500 and api.json()["detail"] == "server_error"
    assert "activities" not in api.json()["message"]
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert "no such table: activities" in logged  # the detail stays in the log
    assert raw not in logged                      # but not the secret link


# ---- bodies: capped before parsing, the API key checked before reading -----------------


class AsgiCall:
    """One request straight into the app's ASGI interface, with a body sent in
    chunks and a Content-Length header that may lie; counts what the app read."""

    def __init__(self, web: FastAPI, method: str, path: str, headers: dict[str, str],
                 size: int, chunk: int = 65536) -> None:
        self.web, self.method, self.path = web, method, path
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.size, self.chunk, self.pulled = size, chunk, 0
        self.status, self.body, self.response_headers = 0, b"", {}  # type: ignore[var-annotated]

    async def receive(self) -> dict[str, Any]:
        if self.pulled >= self.size:
            await asyncio.sleep(3600)  # a client that stays connected and sends nothing
        piece = min(self.chunk, self.size - self.pulled)
        self.pulled += piece
        return {"type": "http.request", "body": b"x" * piece,
                "more_body": self.pulled < self.size}

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def run(self) -> AsgiCall:
        path, _, query = self.path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": self.method, "scheme": "http", "path": path,
                 "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
                 "headers": [(b"host", b"testserver"), *self.headers],
                 "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}

        async def call() -> None:
            await asyncio.wait_for(self.web(scope, self.receive, self.send), timeout=30)

        asyncio.run(call())
        return self


def test_the_api_checks_the_key_before_reading_the_body(web: FastAPI) -> None:
    for headers in ({}, {"Authorization": "Bearer nope-nope-nope-nope-nope"}):
        call = AsgiCall(web, "POST", API, {"content-type": "application/json", **headers},
                        size=48 * 2**20).run()
        assert call.status == 401 and call.pulled == 0
        assert json.loads(call.body)["detail"] == "login_required"


@pytest.mark.parametrize("where", ["api", "owner_form", "login", "decision", "healthz"])
@pytest.mark.parametrize("how", ["declared", "chunked", "lying"])
def test_every_body_is_capped_before_parsing(web: FastAPI, app: App, where: str,
                                             how: str) -> None:
    key = api_key(app)
    paths = {"api": API, "owner_form": f"/rapport/{report_link(app, KIM)}",
             "login": "/samordnare/logga-in", "decision": "/samordnare/planer/testby/datum/1",
             "healthz": "/healthz"}
    size = 48 * 2**20
    headers = {"content-type": "application/json" if where == "api"
               else "application/x-www-form-urlencoded", **auth(key)}
    if how == "declared":
        headers["content-length"] = str(size)
    elif how == "lying":
        headers["content-length"] = "10"
    call = AsgiCall(web, "POST" if where != "healthz" else "GET", paths[where], headers,
                    size).run()
    if where == "healthz" and how != "declared":
        assert call.status == 200  # a body nobody reads is never buffered
        return
    assert call.status == 413
    assert call.pulled <= 2_100_000  # at most the form limit (2 MB) plus one chunk
    if how == "declared":
        assert call.pulled == 0      # refused from the header alone
    text = call.body.decode()
    if where == "api":
        assert json.loads(text)["detail"] == "too_large"
    else:
        assert '<html lang="sv">' in text and "för stor" in text
    assert reports(app) == []


def test_malformed_content_length_is_a_bad_request(web: FastAPI, app: App) -> None:
    call = AsgiCall(web, "POST", API, {"content-length": "-5", **auth(api_key(app))}, 0).run()
    assert call.status == 400
    call = AsgiCall(web, "POST", "/samordnare/logga-in", {"content-length": "1e9"}, 0).run()
    assert call.status == 400 and "Något gick fel" in call.body.decode()


# ---- one validation: API, form and CLI share the rules and the messages ---------------


def post(client: TestClient, app: App, body: object, lang: str | None = None,
         **headers: str) -> httpx.Response:
    return client.post(API + (f"?lang={lang}" if lang else ""),
                       headers={**auth(api_key(app)), "content-type": "application/json",
                                **headers},
                       content=json.dumps(body).encode())


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"status": "done", "reporter_name": "x", "occurrence": "1999"}, "occurrence",
     "occurrence_unknown"),
    ({"status": "done", "reporter_name": "x", "occurrence": "<script>"}, "occurrence",
     "occurrence_unknown"),
    ({"status": "delayed", "reporter_name": "x", "proposed_date": "1900-01-01",
      "proposed_reason": "Förr"}, "proposed_date", "date_range"),
    ({"status": "delayed", "reporter_name": "x", "proposed_date": "2099-01-01",
      "proposed_reason": "Sen"}, "proposed_date", "date_range"),
    ({"status": "klar", "reporter_name": "x"}, "status", "status_invalid"),
    ({"reporter_name": "x"}, "status", "status_required"),
    ({"status": "done", "reporter_name": "x", "progress": 101}, "progress", "progress_invalid"),
    ({"status": "done", "reporter_name": "x", "progress": True}, "progress", "progress_invalid"),
    ({"status": "done", "reporter_name": "x", "comment": "x" * 2001}, "comment",
     "text_too_long"),
    ({"status": "done", "reporter_name": "x", "comment": "nul\u0000"}, "comment",
     "text_characters"),
    ({"status": "done", "reporter_name": "x", "comment": 5}, "comment", "text_type"),
    ({"status": "done", "reporter_name": "x", "proposed_reason": "ingen dag"},
     "proposed_date", "date_required"),
    ({"status": "done", "reporter_name": "x", "proposed_date": "2025-03-31"},
     "proposed_reason", "reason_required"),
    ({"status": "done", "reporter_name": " "}, "reporter_name", "name_required"),
    ({"status": "done", "reporter_name": "x", "reporter_email": "inte en adress"},
     "reporter_email", "email_invalid"),
    ({"status": "done", "reporter_name": "x", "submission_key": "kort"}, "submission_key",
     "submission_key_invalid"),
    ({"status": "done", "reporter_name": "x", "unknown": 1}, "unknown", "unknown_field"),
])
def test_api_rules_answer_a_code_and_a_message_in_the_requests_language(
        client: TestClient, app: App, body: dict[str, object], field: str, code: str) -> None:
    swedish = post(client, app, body)
    assert swedish.status_code == 422 and swedish.headers["content-type"] == "application/json"
    from lokflow.reporting.report_input import MAX_TEXT, MESSAGES
    problem = swedish.json()
    assert problem["detail"] == "invalid"
    assert {"field": field, "code": code,
            "message": MESSAGES[code]["sv"].format(limit=MAX_TEXT)} in problem["errors"]
    english = post(client, app, body, **{"accept-language": "en-GB,en;q=0.8"})
    assert {"field": field, "code": code,
            "message": MESSAGES[code]["en"].format(limit=MAX_TEXT)} in english.json()["errors"]
    assert post(client, app, body, lang="en").json() == english.json()
    assert reports(app) == []


def test_api_accepts_a_real_occurrence_and_a_near_date(client: TestClient, app: App) -> None:
    body = {"status": "delayed", "reporter_name": "Ärendesystemet", "occurrence": "2023",
            "proposed_date": (app.today() + timedelta(days=30)).isoformat(),
            "proposed_reason": "Juryn är inte utsedd"}
    answer = client.post("/api/v1/plans/testby/activities/k-1.2/reports",
                         headers=auth(api_key(app)), json=body)
    assert answer.status_code == 201 and answer.json()["occurrence"] == "2023"


@pytest.mark.parametrize("body", [b"{", b"[1, 2]", b"\xff\xfe{}", b"[" * 100_000, b"",
                                  b'{"status": "done", "reporter_name": "\xc3("}',
                                  b'{"progress": 1' + b"0" * 5000 + b"}"])
def test_malformed_json_is_refused(client: TestClient, app: App, body: bytes) -> None:
    answer = client.post(API, headers={**auth(api_key(app)),
                                       "content-type": "application/json"}, content=body)
    assert answer.status_code == 422 and answer.json()["detail"] == "invalid"
    assert answer.json()["errors"][0]["code"] in ("json_invalid", "json_not_object",
                                                  "progress_invalid")
    assert reports(app) == []


def test_form_and_api_share_the_rule_and_the_message(client: TestClient, app: App) -> None:
    url = f"/rapport/{report_link(app, KIM)}"
    data = form_of(client.get(url).text)
    field = f"a{activity_id(app, 'k-1.1')}"
    data.update({f"{field}-status": "delayed", f"{field}-new_date": "1900-01-01",
                 f"{field}-reason": "Förr"})
    form = client.post(url, data=data)
    api = post(client, app, {"status": "delayed", "reporter_name": "x",
                             "proposed_date": "1900-01-01", "proposed_reason": "Förr"})
    message = api.json()["errors"][0]["message"]
    assert form.status_code == 422 and message in form.text
    assert reports(app) == []


def test_the_cli_uses_the_same_rules_and_messages(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from lokflow.cli.app import app as cli
    from tests.conftest import FIXTURES

    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "cli-home"))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["sync", str(FIXTURES / "minimal.yaml")]).exit_code == 0
    past = (date.today() - timedelta(days=1)).isoformat()
    cases = [(["--status", "delayed", "--new-date", past, "--reason", "x"], "date_range"),
             (["--status", "done", "--occurrence", "1999"], "occurrence_unknown"),
             (["--status", "done", "--progress", "101"], "progress_invalid"),
             (["--status", "done", "--comment", "a\x00b"], "text_characters")]
    for options, code in cases:
        result = runner.invoke(cli, ["report", "testby", "k-1.2", *options])
        assert result.exit_code == 1, result.output
        from lokflow.reporting.report_input import MAX_TEXT, MESSAGES
        assert MESSAGES[code]["sv"].format(limit=MAX_TEXT) in result.output
    english = runner.invoke(cli, ["report", "testby", "k-1.2", "--status", "done",
                                  "--progress", "101"], env={"LOKFLOW_LANGUAGE": "en"})
    assert MESSAGES["progress_invalid"]["en"] in english.output
    assert "no reports yet" in runner.invoke(cli, ["history", "testby", "k-1.2"]).output


# ---- a real uvicorn: 48 MB bodies leave the server's memory where it was -------------


BIG = 48 * 2**20


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def raw_post(port: int, path: str, total: int, *, key: str | None = None,
             declared: int | None = None) -> int:
    """POST a valid-looking JSON body of `total` bytes over a plain socket, chunked
    unless `declared` gives a Content-Length; stop sending as soon as the server
    answers or closes. Returns the answer's status code."""
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
            "Transfer-Encoding: chunked" if declared is None else f"Content-Length: {declared}"]
    if key:
        head.append(f"Authorization: Bearer {key}")
    start, end = b'{"status": "done", "reporter_name": "x", "comment": "', b'"}'
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        sent, piece = 0, 65536
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                size = min(piece, total - sent)
                data = start + b"x" * (size - len(start)) if sent == 0 else (
                    b"x" * (size - len(end)) + end if sent + size >= total else b"x" * size)
                sock.sendall(data if declared is not None
                             else f"{len(data):x}\r\n".encode() + data + b"\r\n")
                sent += size
            if declared is None and sent >= total:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        while b"\r\n" not in answer:
            got = sock.recv(4096)
            if not got:
                break
            answer += got
    return int(answer.split(b" ", 2)[1])


def test_48_mb_bodies_keep_uvicorn_memory_bounded(tmp_path: Path) -> None:
    from lokflow.bootstrap import bootstrap
    from lokflow.settings import Settings
    from tests.conftest import FIXTURES, PLANS
    from tests.support.reporting import load
    from tests.support.web_server import WebServer

    server = WebServer(tmp_path / "home")
    setup = bootstrap(Settings(home=server.home, plans_dir=PLANS, base_url=server.base_url,
                               _env_file=None))  # type: ignore[call-arg]
    load(setup, FIXTURES / "minimal.yaml")
    key = api_key(setup)
    setup.close()
    server.start()
    try:
        assert server.process is not None
        pid = server.process.pid
        for warm in range(3):  # every code path once, with small bodies
            raw_post(server.port, API, 300_000, key=key)
            raw_post(server.port, API, 300_000, declared=300_000)
            raw_post(server.port, API, 1000 + warm)
        before = peak_rss_mib(pid)
        statuses = {
            "unauthenticated, Content-Length": raw_post(server.port, API, BIG, declared=BIG),
            "unauthenticated, chunked": raw_post(server.port, API, BIG),
            "authenticated, chunked": raw_post(server.port, API, BIG, key=key),
            "authenticated, Content-Length": raw_post(server.port, API, BIG, key=key,
                                                      declared=BIG),
            "owner form, chunked": raw_post(server.port, "/rapport/" + "A" * 43, BIG),
        }
        after = peak_rss_mib(pid)
    finally:
        server.stop()
    print(f"\nuvicorn peak RSS: {before:.0f} MiB before, {after:.0f} MiB after five 48 MB "
          f"bodies ({after - before:+.1f} MiB); answers {statuses}")
    assert after - before < 24, f"peak RSS grew from {before:.0f} to {after:.0f} MiB"
    assert statuses == {"unauthenticated, Content-Length": 413,
                        "unauthenticated, chunked": 401, "authenticated, chunked": 413,
                        "authenticated, Content-Length": 413, "owner form, chunked": 413}


def test_the_documented_body_is_the_shared_definition(client: TestClient) -> None:
    from lokflow.reporting.report_input import FIELDS

    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/plans/{plan}/activities/{activity}/reports"]["post"]
    assert body["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ReportIn")
    assert set(spec["components"]["schemas"]["ReportIn"]["properties"]) == set(FIELDS)


# ---- NUL bytes and invalid UTF-8, on SQLite and PostgreSQL ----------------------------


def _nul_and_utf8_cases(client: TestClient, app: App) -> None:
    key, raw = api_key(app), report_link(app, KIM)
    login(client, app)
    for path in ("/samordnare/planer/%00", "/samordnare/planer/testby?owner=%00",
                 f"/rapport/{raw}?lang=%00", "/samordnare/planer/testby/aktivitet/k%00"):
        assert_swedish_page(client.get(path), 400)
    for path in ("/api/v1/plans/%00/activities", "/api/v1/plans/testby/activities?owner=a%00"):
        answer = client.get(path, headers=auth(key))
        assert answer.status_code == 400 and answer.json()["detail"] == "bad_request"
    for path in ("/samordnare/planer/%FF%FE", "/samordnare/planer/testby?owner=%C3%28",
                 f"/rapport/{raw}?lang=%FF"):
        assert client.get(path).status_code in (200, 404)
    assert client.get("/api/v1/plans/%C3%28/activities", headers=auth(key)).status_code == 404
    page = client.get(f"/rapport/{raw}").text
    field = f"a{activity_id(app, 'k-1.1')}"
    csrf = f"csrf={form_of(page)['csrf']}".encode()
    for body in (csrf + f"&{field}-status=done&{field}-comment=".encode() + b"\xff\xfe",
                 csrf + f"&{field}-status=done&{field}-comment=a".encode() + b"\x00b"):
        answer = client.post(f"/rapport/{raw}", content=body,
                             headers={"content-type": "application/x-www-form-urlencoded"})
        assert answer.status_code in (400, 422) and '<html lang="sv">' in answer.text
    for text in ("nul\u0000", "half \ud800 pair", "bell\u0007"):
        answer = client.post(API, headers=auth(key), content=json.dumps(
            {"status": "done", "reporter_name": text}).encode())
        assert answer.json()["errors"] == [{"field": "reporter_name", "code": "text_characters",
                                            "message": answer.json()["errors"][0]["message"]}]
    assert reports(app) == []


def test_nul_bytes_and_invalid_utf8_on_sqlite(client: TestClient, app: App) -> None:
    _nul_and_utf8_cases(client, app)


@pytest.mark.postgres
def test_nul_bytes_and_invalid_utf8_on_postgresql(pg_settings: Any, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from lokflow.bootstrap import bootstrap
    from tests.conftest import FixedClock

    pg = bootstrap(pg_settings, clock=FixedClock(datetime(2023, 1, 10, 9, 0, tzinfo=UTC)))
    try:
        load_two_organisations(pg, tmp_path)
        with TestClient(create_app(pg), follow_redirects=False,
                        raise_server_exceptions=False) as test:
            _nul_and_utf8_cases(test, pg)
    finally:
        pg.close()


# ---- property-based fuzzing: no 500 ever, nothing stored on a 4xx -------------------


FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
NASTY = st.sampled_from(["", " ", "\x00", "\r\n", "\ud800", "<script>alert(1)</script>",
                         "\u202e", "=1+2", "ä" * 2001, "2023-02-30", "9" * 30, "-1", "1e9",
                         "done", "in_progress", "2024", "deadline", "2023-06-01", "%00"])
TEXT = st.one_of(NASTY, st.text(max_size=60), st.text(
    st.characters(codec="utf-8", categories=("Cc", "Zl", "Zp", "Cf", "So")), max_size=10))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                   st.floats(allow_nan=False), TEXT)
JSON = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT, inner, max_size=3), max_leaves=6)
REPORT_FIELDS = ["status", "progress", "comment", "obstacles", "proposed_date",
                 "proposed_reason", "reporter_name", "reporter_email", "occurrence",
                 "submission_key"]


def count(app: App) -> tuple[int, int]:
    """Reports and date changes stored so far."""
    from sqlalchemy import func, select

    from lokflow.store import tables as t

    with app.sessions() as session:
        return (session.scalar(select(func.count()).select_from(t.StatusReport)) or 0,
                session.scalar(select(func.count()).select_from(t.DateChange)) or 0)


def assert_answer(answer: httpx.Response, api: bool) -> None:
    assert answer.status_code < 500, answer.text[:500]
    if api:
        assert answer.headers["content-type"] == "application/json"
        answer.json()
    else:
        assert answer.headers["content-type"].startswith("text/html")
        assert '<html lang="sv">' in answer.text


def test_fuzz_the_api(client: TestClient, app: App) -> None:
    key = api_key(app)

    @FUZZ
    @given(body=st.one_of(
        st.dictionaries(st.sampled_from(REPORT_FIELDS) | TEXT, JSON, max_size=8),
        st.fixed_dictionaries({"status": st.sampled_from(["done", "delayed", "klar"]),
                               "reporter_name": TEXT},
                              optional={name: JSON | TEXT for name in REPORT_FIELDS[2:]
                                        if name != "reporter_name"}),
        JSON), raw=st.none() | st.binary(max_size=200),
           activity=st.sampled_from(["k-1.1", "k-1.2", "c-1.1", "nope", "%00", "ä"]))
    def check(body: object, raw: bytes | None, activity: str) -> None:
        before = count(app)
        content = raw if raw is not None else json.dumps(body).encode()
        answer = client.post(f"/api/v1/plans/testby/activities/{activity}/reports",
                             headers={**auth(key), "content-type": "application/json"},
                             content=content)
        assert_answer(answer, api=True)
        assert answer.status_code in (201, 400, 404, 422)
        if answer.status_code != 201:
            assert count(app) == before
        else:
            assert answer.json()["status"] in ("done", "delayed")

    check()


def test_fuzz_the_owner_form(client: TestClient, app: App) -> None:
    raw = report_link(app, KIM)
    url = f"/rapport/{raw}"
    hidden_fields = form_of(client.get(url).text)
    ids = [activity_id(app, "k-1.1"), activity_id(app, "k-1.2")]
    form_fields = ["status", "progress", "comment", "obstacles", "new_date", "reason", "key"]

    @FUZZ
    @given(fields=st.dictionaries(
        st.one_of(st.tuples(st.sampled_from(ids), st.sampled_from(form_fields)).map(
            lambda p: f"a{p[0]}-{p[1]}"), TEXT), TEXT, max_size=10),
        lang=st.sampled_from(["", "?lang=en", "?lang=%00", "?lang=%FF"]))
    def check(fields: dict[str, str], lang: str) -> None:
        before = count(app)
        data = {**hidden_fields, **fields}
        body = "&".join(f"{quote(k, safe='', errors='surrogatepass')}="
                        f"{quote(v, safe='', errors='surrogatepass')}" for k, v in data.items())
        answer = client.post(url + lang, content=body.encode(),
                             headers={"content-type": "application/x-www-form-urlencoded"})
        assert answer.status_code in (200, 400, 403, 422), answer.text[:300]
        assert answer.status_code < 500
        assert answer.headers["content-type"].startswith("text/html")
        if answer.status_code != 200:
            assert count(app) == before

    check()


def test_fuzz_query_strings(client: TestClient, app: App) -> None:
    key = api_key(app)
    login(client, app)
    pages = ["/samordnare/planer/testby", "/samordnare/planer/testby/omgang",
             "/samordnare/arsrapporter", "/samordnare/planer/testby/datum",
             "/samordnare/planer/testby/aktiviteter", "/samordnare/aktiviteter",
             "/samordnare/planer/testby/utskick", "/samordnare"]

    @FUZZ
    @given(page=st.sampled_from([*pages, "/api/v1/plans/testby/activities"]),
           query=st.dictionaries(st.sampled_from(["owner", "status", "principle", "overdue",
                                                  "year", "plan", "lang", "x", "q", "from",
                                                  "to", "within", "sort", "order", "kind",
                                                  "deadline"]),
                                 TEXT, max_size=4))
    def check(page: str, query: dict[str, str]) -> None:
        text = "&".join(f"{k}={quote(v, safe='', errors='surrogatepass')}"
                        for k, v in query.items())
        answer = client.get(f"{page}?{text}", headers=auth(key))
        assert answer.status_code < 500, answer.text[:300]
        assert answer.status_code in (200, 400, 404, 422)

    check()
