"""Everything users typed is inert in every output. Hostile text goes in
through the plan file (titles, names, activity texts, partners, places),
the owner's form (comment, obstacles, reason), the API and the CLI (reporter
name, comment), and must come out as text: coordinator and owner pages, the
annual report (HTML, Markdown, XLSX), calendar feeds (no CRLF or
property-parameter injection) and reminder emails (text, HTML, headers, .ics).
One world is built per module: real SQLite, real aiosmtpd, the real app."""

from __future__ import annotations

import asyncio
import contextlib
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from lokflow.access.accounts import AccountError
from lokflow.annual_report.archive import compile_and_store
from lokflow.bootstrap import App, bootstrap
from lokflow.cli.app import app as cli
from lokflow.delivery.sender import OutboxSender
from lokflow.delivery.transports import SmtpSettings, SmtpTransport
from lokflow.engine.due_run import decide_and_queue
from lokflow.feeds.subscriptions import FeedSpec, ensure, links
from lokflow.settings import Settings
from lokflow.web.app import create_app
from tests.conftest import FIXTURES, PLANS, FixedClock
from tests.support.reporting import (
    KIM,
    PASSWORD,
    activity_id,
    api_key,
    coordinator,
    form_of,
    hidden,
    load,
    report_link,
)
from tests.support.smtp_server import SmtpServer

NOW = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)  # k-1.1 is due a week later: a reminder today


def evil(tag: str, lead: str = "") -> str:
    """Markup, script, a formula, a Markdown link, and header/iCalendar injection."""
    return (f'{lead}<script>alert("{tag}")</script><img src=x onerror=alert(1)>"\'& '
            f'=HYPERLINK("http://x","{tag}") [{tag}](javascript:alert(1)) *{tag}*\r\n'
            f"X-INJECTED:{tag};X-PARAM={tag}:\r\nBcc: evil@x.example")


PLAN_FIELDS = {  # text in the fixture -> the field's tag
    "title: Handlingsplan för Testby": ("title", "plan-title"),
    "short_name: LÖK Testby": ("short_name", "short-name"),
    "  name: Testby kommun": ("  name", "organisation"),
    "name: Kultur- och fritidsförvaltningen": ("name", "unit"),
    "name: Kim Kultur": ("name", "contact"),
    "text: Kommunen åtar sig att stödja föreningslivet.": ("text", "commitment"),
    "text: Ta fram en bidragsguide.": ("text", "activity"),
    "partners: [Studieförbunden]": ("partners", "partner"),
}
FORM_TAGS = ("comment", "obstacles", "reason")
TAGS = [tag for _, tag in PLAN_FIELDS.values()] + [*FORM_TAGS, "api-name", "api-comment",
                                                   "cli-name"]


@dataclass
class World:
    app: App
    client: TestClient
    mail: list[EmailMessage] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # HTML outputs by name


def hostile_plan(folder: Path) -> Path:
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    for old, (key, tag) in PLAN_FIELDS.items():
        value = json.dumps(evil(tag))  # a YAML double-quoted scalar
        text = text.replace(old, f"{key}: [{value}]" if key == "partners" else f"{key}: {value}")
    text = text.replace('timeline: "2024"', "timeline: 2023-01-17\n        location: "
                        + json.dumps(evil("location")))
    path = folder / "testby.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("xss")
    smtp = SmtpServer().start()
    settings = Settings(home=folder / "home", plans_dir=PLANS, smtp_url=smtp.url,
                        _env_file=None)  # type: ignore[call-arg]
    app = bootstrap(settings, clock=FixedClock(NOW))
    try:
        load(app, hostile_plan(folder))
        with TestClient(create_app(app), follow_redirects=False) as client:
            built = World(app, client)
            _report_through_every_channel(built, folder)
            _send_reminders(built, smtp)
            yield built
    finally:
        app.close()
        smtp.stop()


def _report_through_every_channel(world: World, folder: Path) -> None:
    app, client = world.app, world.client
    url = f"/rapport/{report_link(app, KIM)}"
    data = form_of(client.get(url).text)
    a = f"a{activity_id(app, 'k-1.1')}"
    data.update({f"{a}-status": "delayed", f"{a}-comment": evil("comment", "="),
                 f"{a}-obstacles": evil("obstacles", "+"), f"{a}-new_date": "2023-03-31",
                 f"{a}-reason": evil("reason", "@")})
    assert client.post(url, data=data).status_code == 303  # then the overview (PRG)
    answer = client.post("/api/v1/plans/testby/activities/k-1.2/reports",
                         headers={"Authorization": f"Bearer {api_key(app)}"},
                         json={"status": "in_progress", "reporter_name": evil("api-name")[:200],
                               "comment": evil("api-comment", "-")})
    assert answer.status_code == 201, answer.text
    result = CliRunner().invoke(cli, ["report", "testby", "c-1.1", "--status", "done",
                                      "--reporter", evil("cli-name")[:200]],
                                env={"LOKFLOW_HOME": str(app.settings.home),
                                     "LOKFLOW_PLANS_DIR": str(PLANS)})
    assert result.exit_code == 0, result.output


def _send_reminders(world: World, smtp: SmtpServer) -> None:
    app = world.app
    with app.sessions.begin() as session:
        decide_and_queue(session, app.now(), app.today(), zone=app.settings.tz)
    asyncio.run(OutboxSender(app, lambda: SmtpTransport(SmtpSettings.from_url(smtp.url))).run())
    world.mail = [m for m in smtp.messages if isinstance(m, EmailMessage)]
    assert world.mail, "no reminder was sent"


def _login(client: TestClient, app: App) -> None:
    if client.get("/samordnare").status_code == 200:  # the module's client is logged in
        return
    with contextlib.suppress(AccountError):
        coordinator(app)
    form = client.get("/samordnare/logga-in").text
    client.post("/samordnare/logga-in", data={"username": "anna", "password": PASSWORD,
                                              "csrf": hidden(form, "csrf")})


def assert_inert_html(name: str, text: str) -> None:
    lowered = text.lower()
    for raw in ("<script", "<img", "href=\"javascript", "href='javascript", "onerror=alert(1)>"):
        assert raw not in lowered, f"{name}: {raw!r} is live markup"


def seen_tags(text: str) -> set[str]:
    """The tags whose whole script text shows, as text, once entities are decoded."""
    shown = html.unescape(text)
    return {tag for tag in TAGS if f'<script>alert("{tag}")</script>' in shown}


def test_pages_show_every_field_as_text(world: World) -> None:
    app, client = world.app, world.client
    raw = report_link(app, KIM)
    pages = {"owner": f"/rapport/{raw}",
             "owner history": f"/rapport/{raw}/aktivitet/{activity_id(app, 'k-1.1')}"}
    _login(client, app)
    for path in ("", "/planer/testby", "/planer/testby/aktivitet/k-1.1",
                 "/planer/testby/aktivitet/k-1.2", "/planer/testby/aktivitet/c-1.1",
                 "/planer/testby/datum", "/planer/testby/forsenade", "/planer/testby/omgang"):
        pages[f"coordinator{path}"] = f"/samordnare{path}"
    seen: set[str] = set()
    for name, path in pages.items():
        answer = client.get(path)
        assert answer.status_code == 200, (name, answer.status_code)
        assert_inert_html(name, answer.text)
        seen |= seen_tags(answer.text)
    print(f"\nshown on pages: {sorted(seen)}")
    missing = set(TAGS) - seen - {"location", "partner", "plan-title"}  # not on these pages
    assert not missing, f"never shown (so never checked): {missing}"


@pytest.fixture(scope="module")
def annual(world: World) -> dict[str, bytes]:
    app, client = world.app, world.client
    _login(client, app)
    with app.sessions.begin() as session:
        report = compile_and_store(session, "testby", 2023, app.now(), zone=app.settings.tz,
                                   as_of=app.now())
        number = report.id
    listing = client.get("/samordnare/arsrapporter").text
    found = {}
    for suffix in ("html", "md", "xlsx"):
        link = re.search(rf'href="(/samordnare/arsrapporter/{number}/[^"]+\.{suffix})"', listing)
        assert link, suffix
        answer = client.get(html.unescape(link.group(1)))
        assert answer.status_code == 200
        found[suffix] = answer.content
    return found


def test_annual_report_html_is_inert(annual: dict[str, bytes]) -> None:
    page = annual["html"].decode()
    assert_inert_html("annual report", page)
    assert {"activity", "comment", "obstacles", "plan-title"} <= seen_tags(page)


def test_annual_report_markdown_cannot_format_or_link(annual: dict[str, bytes]) -> None:
    text = annual["md"].decode()
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert not re.search(r"(?<!\\)\]\(javascript:", text), "a live Markdown link"
    assert "&lt;script&gt;" in text  # the hostile text is there, as text


def test_annual_report_xlsx_has_no_formula(annual: dict[str, bytes]) -> None:
    book = load_workbook(io.BytesIO(annual["xlsx"]))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):  # '=...' stays a text cell, never evaluated
                    texts.append(cell.value)
    assert any("<script>alert(\"comment\")" in t for t in texts)


def assert_ics_inert(name: str, body: bytes) -> Calendar:
    """Strict RFC 5545 lines, no injected property or parameter."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")
    unfolded = body.decode().replace("\r\n ", "").split("\r\n")
    for line in unfolded:
        assert not re.match(r"(?i)(X-INJECTED|BCC)\b", line), f"{name}: injected {line!r}"
    calendar = Calendar.from_ical(body)
    for component in calendar.walk():
        for prop, value in component.property_items():
            assert prop not in ("X-INJECTED", "BCC"), f"{name}: {prop}"
            params = getattr(value, "params", {})
            assert "X-PARAM" not in params, f"{name}: parameter injected into {prop}"
    return calendar


def test_feeds_carry_hostile_text_only_as_escaped_values(world: World) -> None:
    app = world.app
    for spec in (FeedSpec("plan", "testby"), FeedSpec("contact", f"testby/{KIM}")):
        with app.sessions.begin() as session:
            raw = ensure(session, app, spec).raw
        path = links(app.settings, raw).https.removeprefix(app.settings.base_url)
        answer = world.client.get(path)
        assert answer.status_code == 200
        calendar = assert_ics_inert(spec.kind, answer.content)
        summaries = " ".join(str(e.get("SUMMARY", "")) + str(e.get("DESCRIPTION", ""))
                             + str(e.get("LOCATION", "")) for e in calendar.walk("VEVENT"))
        assert 'X-INJECTED:activity;X-PARAM=activity:' in summaries  # kept, as text


def test_reminder_emails_are_inert(world: World) -> None:
    for message in world.mail:
        for header in ("Bcc", "X-Injected", "X-INJECTED"):
            assert message[header] is None, f"{header} injected"
        for name in ("Subject", "To", "From"):
            assert "\n" not in str(message[name]) and "\r" not in str(message[name])
        page = message.get_body(("html",))
        assert page is not None
        html_text = page.get_content()
        assert_inert_html("email", html_text)
        plain = message.get_body(("plain",))
        assert plain is not None and "alert(" in plain.get_content()
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                assert_ics_inert("email .ics", part.get_payload(decode=True))
    shown = set().union(*(seen_tags(m.get_body(("html",)).get_content())  # type: ignore[union-attr]
                          for m in world.mail))
    assert {"activity", "commitment", "unit"} <= shown
