"""The status-report commands of the CLI, run in-process against a real database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lokflow.cli.app import app as cli
from tests.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOKFLOW_BASE_URL", "https://lok.testby.example.org")
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich tables are not wrapped
    monkeypatch.chdir(tmp_path)
    assert run("sync", str(FIXTURES / "minimal.yaml"))[0] == 0


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, list(args), input=stdin)
    return result.exit_code, result.output


def test_report_history_and_date_decision() -> None:
    code, out = run("report", "testby", "k-1.1", "--status", "pågår", "--progress", "40",
                    "--comment", "Utkast klart", "--reporter", "Kim Kultur")
    assert code == 0 and "recorded testby k-1.1 (deadline): pågår" in out
    new = (date.today() + timedelta(days=90)).isoformat()  # the CLI runs on the real clock
    code, out = run("report", "testby", "k-1.1", "--status", "delayed", "--new-date",
                    new, "--reason", "Budgeten", "--reporter", "Kim Kultur")
    assert code == 0 and "lokflow dates list" in out
    code, out = run("history", "testby", "k-1.1")
    assert code == 0 and "Utkast klart" in out and "försenad" in out and "Kim Kultur" in out
    assert f"date change #1: 2024-12-31 -> {new} (pending): Budgeten" in out
    code, out = run("dates", "list", "testby")
    assert code == 0 and new in out and "Budgeten" in out
    code, out = run("dates", "accept", "1", "--by", "Samordnaren", "--reason", "Rimligt")
    assert code == 0 and f"#1 accepted: {new}" in out
    code, out = run("dates", "reject", "1", "--reason", "Sent")
    assert code == 1 and "Förslaget är redan godkänt." in out
    assert "no proposed dates wait" in run("dates", "list", "testby")[1]


@pytest.mark.parametrize(("args", "message"), [
    (["testby", "1.1", "--status", "klar"], "ambiguous"),          # k-1.1 and c-1.1
    (["testby", "nope", "--status", "klar"], "no activity 'nope'"),
    (["nowhere", "k-1.1", "--status", "klar"], "no activity"),
    (["testby", "k-1.1", "--status", "färdig"], "--status: Välj en av statusarna"),
    (["testby", "k-1.1", "--status", "klar", "--new-date", "31/3"],
     "--new-date: Skriv datumet som ÅÅÅÅ-MM-DD"),
    (["testby", "k-1.1", "--status", "klar", "--new-date", "2099-03-31"],
     "--reason: Skriv ett skäl"),
    (["testby", "k-1.1", "--status", "klar", "--comment", "x" * 2001],
     "--comment: Texten är för lång: högst 2000 tecken."),
])
def test_report_refuses_bad_input(args: list[str], message: str) -> None:
    code, out = run("report", *args)
    assert code != 0 and message in out


def test_report_by_unambiguous_number_and_occurrence() -> None:
    code, out = run("report", "testby", "1.2", "--status", "done", "--occurrence", "2023")
    assert code == 0 and "testby k-1.2 (2023): klar" in out


def test_rounds() -> None:
    code, out = run("round", "status", "testby", "--year", "2031")
    assert code == 1 and "no reporting round for 2031" in out
    code, out = run("round", "open", "testby", "--year", "2031")
    assert code == 0 and "answers due 2031-10-01" in out
    run("report", "testby", "k-1.1", "--status", "pågår")
    code, out = run("round", "status", "testby", "--json")
    status = json.loads(out)
    assert (status["year"], status["answered"], status["total"]) == (2031, 1, 3)
    assert status["missing_contacts"] == ["kim@testby.example.org", "rad@testby.example.org"]
    code, out = run("round", "status", "testby")
    assert code == 0 and "1/3 activities reported" in out
    code, out = run("round", "close", "testby")
    assert code == 0 and "testby 2031: round closed" in out
    code, out = run("round", "open", "testby", "--year", "2020")
    assert code == 1 and "has passed" in out


def test_users() -> None:
    code, out = run("users", "add", "anna", "--name", "Anna Samordnare", "--organisation",
                    "testby", "--password-stdin", stdin="ett-langt-losenord\n")
    assert code == 0 and "user anna added (testby)" in out
    code, out = run("users", "add", "it", "--password-stdin", stdin="ett-annat-losenord\n")
    assert code == 0 and "all organisations" in out
    code, out = run("users", "add", "anna", "--password-stdin", stdin="ett-langt-losenord\n")
    assert code == 1 and "already exists" in out
    code, out = run("users", "add", "kort", "--password-stdin", stdin="kort\n")
    assert code == 1 and "10 to 1024 characters" in out
    code, out = run("users", "add", "x", "--organisation", "nope", "--password-stdin",
                    stdin="ett-langt-losenord\n")
    assert code == 1
    code, out = run("users", "list")
    assert code == 0 and "Anna Samordnare" in out and "(all)" in out
    code, out = run("users", "password", "anna", "--password-stdin", stdin="nytt-langt-losenord\n")
    assert code == 0 and "password of anna changed" in out


def test_users_add_prompts_for_the_password_twice() -> None:
    code, out = run("users", "add", "anna", stdin="ett-langt-losenord\nett-langt-losenord\n")
    assert code == 0 and "user anna added" in out


def test_api_keys() -> None:
    code, out = run("apikeys", "create", "--organisation", "testby", "--label", "Intranätet")
    assert code == 0
    key = out.strip().splitlines()[-1]
    assert len(key) == 43
    code, out = run("apikeys", "list")
    assert code == 0 and "Intranätet" in out and key not in out
    code, out = run("apikeys", "revoke", "1")
    assert code == 0 and "revoked" in out
    assert "already revoked" in run("apikeys", "revoke", "1")[1]
    assert run("apikeys", "revoke", "99")[0] == 1
    assert run("apikeys", "create", "--organisation", "nope", "--label", "x")[0] == 1


def test_report_links() -> None:
    code, out = run("links", "create", "Kim@Testby.example.org", "--organisation", "testby")
    assert code == 0 and out.startswith("https://lok.testby.example.org/rapport/")
    code, out = run("links", "list", "kim@testby.example.org")
    assert code == 0 and "issued by hand" in out and "utfärdad" not in out
    code, out = run("links", "revoke", "kim@testby.example.org")
    assert code == 0 and "1 link(s) revoked" in out
    assert "issued by hand" not in run("links", "list", "kim@testby.example.org")[1]
