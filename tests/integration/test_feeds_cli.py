"""`lokflow feeds list|create|revoke` and `lokflow feed`, in-process against
a real database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from lokflow.cli.app import app as cli
from tests.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOKFLOW_BASE_URL", "https://lok.example.org")
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def _url(output: str) -> str:
    found = re.search(r"https://lok\.example\.org/feeds/[\w-]+\.ics", output)
    assert found, output
    return found.group(0)


def test_create_list_revoke_and_create_again() -> None:
    assert run("sync", str(FIXTURES / "minimal.yaml"))[0] == 0
    code, out = run("feeds", "create", "--plan", "testby", "--label", "webbplatsen")
    assert code == 0 and "webcal://lok.example.org/feeds/" in out
    assert "https://calendar.google.com/calendar/render?cid=https%3A%2F%2Flok.example.org" in out
    url = _url(out)
    assert _url(run("feeds", "create", "--plan", "testby")[1]) == url  # idempotent
    code, out = run("feeds", "list")
    assert code == 0 and "webbplatsen" in out and url in out.replace("\n", "")
    code, out = run("feeds", "revoke", url)
    assert code == 0 and "revoked feed" in out
    assert run("feeds", "revoke", url)[0] == 1
    assert url not in run("feeds", "list")[1].replace("\n", "")
    assert _url(run("feeds", "create", "--plan", "testby")[1]) != url


def test_owner_contact_and_organisation_feeds() -> None:
    run("sync", str(FIXTURES / "minimal.yaml"))
    for args in (["--plan", "testby", "--owner", "Alla föreningar"],
                 ["--contact", "kim@testby.example.org", "--organisation", "testby"],
                 ["--organisation", "testby", "--no-alarm", "--language", "en"]):
        code, out = run("feeds", "create", *args)
        assert code == 0, out
    out = run("feeds", "list")[1]
    assert "testby/foreningarna" in out and "testby/kim@testby.example.org" in out
    assert "en, no alarm" in out


def test_feed_writes_the_served_feed_to_a_file(tmp_path: Path) -> None:
    run("sync", str(FIXTURES / "minimal.yaml"))
    code, out = run("feed", "--plan", "testby", "--today", "2024-01-10", "-o", "testby.ics")
    assert code == 0 and "wrote testby.ics" in out
    body = (tmp_path / "testby.ics").read_bytes()
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "LÖK Testby"
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} >= {
        "testby/k-1.1/deadline@lokflow", "testby/k-1.2/yearly@lokflow"}
    code, _ = run("feed", "--contact", "kim@testby.example.org", "--plan", "testby",
                  "--today", "2024-01-10", "-o", "kim.ics")
    text = (tmp_path / "kim.ics").read_bytes().decode().replace("\r\n ", "")
    assert code == 0 and "Rapportera status: https://lok.example.org/feeds/" in text


@pytest.mark.parametrize(("args", "message"), [
    ([], "name one feed"),
    (["--plan", "nowhere"], "no such plan"),
    (["--plan", "testby", "--owner", "nobody"], "no such plan"),
    (["--contact", "samordnare@testby.example.org", "--plan", "testby"], "no such plan"),
    (["--plan", "testby", "--language", "de"], "--language must be sv or en"),
])
def test_mistakes_are_explained(args: list[str], message: str) -> None:
    run("sync", str(FIXTURES / "minimal.yaml"))
    code, out = run("feeds", "create", *args)
    assert code == 1 and message in out
