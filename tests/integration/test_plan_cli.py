"""The plan commands of the CLI, run in-process against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lokflow.cli.app import app as cli
from tests.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_validate_bundled_plans() -> None:
    code, out = run("validate")
    assert code == 0 and "5 plan(s) valid, 157 activities, 55 warning(s)." in out


def test_validate_reports_every_broken_file_and_fails() -> None:
    code, out = run("validate", str(FIXTURES / "broken"))
    assert code == 1
    assert out.count("broken/") >= 14
    assert "unknown_unit.yaml:45: commitments[0].activities[0].owners[0]: unknown unit" in out
    assert "nothing was loaded" in out


def test_sync_twice_then_list_and_show() -> None:
    code, out = run("sync")
    assert code == 0 and "tierp: new plan" in out and "added (36)" in out
    code, out = run("sync")
    assert code == 0 and out.count("no changes") == 5
    code, out = run("plans")
    assert code == 0 and "LÖK Tierp" in out and "157" not in out
    code, out = run("activities", "--plan", "tierp", "--json", "--today", "2023-01-10")
    items = json.loads(out)
    assert len(items) == 36
    first = items[0]
    assert {k: first[k] for k in ("plan", "id", "number", "party", "timeline", "next_due")} == {
        "plan": "tierp",
        "id": "kommun-1.1",
        "number": "1.1",
        "party": "municipality",
        "timeline": "2022-2023",
        "next_due": "2023-05-15",  # the window's check-in; it falls due on 2023-12-31
    }
    assert first["schedule"] == {"kind": "window", "start": "2022-01-01", "end": "2023-12-31"}
    assert first["owners"] == ["Tierps kommun"] and first["partners"] == []
    assert set(first) >= {"title", "owners", "partners"}


def test_filters_and_show_by_number() -> None:
    run("sync")
    code, out = run("activities", "--owner", "Alla föreningar", "--json", "--today", "2023-01-10")
    assert {a["id"] for a in json.loads(out)} == {"civil-4.2", "civil-5.1", "civil-5.2"}
    code, out = run(
        "activities",
        "--plan",
        "tierp",
        "--due-before",
        "2023-06-01",
        "--json",
        "--today",
        "2023-01-10",
    )
    due = {a["id"]: a for a in json.loads(out)}
    # Before June: the check-ins (15 May) of ongoing work and of long windows
    # (2022-2023), the annual accounts item (31 March), and everything overdue:
    # the 2022 deadlines and last year's yearly items that nobody reported.
    assert {a["next_due"] for a in due.values() if not a["overdue"]} == {"2023-05-15"}
    assert due["kommun-1.1"]["next_due"] == "2023-05-15"  # a window's check-in
    assert due["kommun-3.3"]["next_due"] == "2023-03-31"  # its own annual_date
    late = {k: [o["due"] for o in a["overdue"]] for k, a in due.items() if a["overdue"]}
    assert late["kommun-4.1"] == ["2022-12-31"] and late["civil-4.2"] == ["2022-11-15"]
    code, out = run("activities", "--plan", "tierp", "--overdue", "--json", "--today", "2023-01-10")
    assert {a["id"] for a in json.loads(out)} == set(late)
    code, out = run("activities", "--plan", "tierp", "--json", "--today", "2023-01-10")
    every = json.loads(out)
    ongoing = {a["id"] for a in every if a["schedule"]["kind"] == "ongoing"}
    assert len(ongoing) == 18 and ongoing <= set(due)
    assert not any(a["overdue"] for a in every if a["schedule"]["kind"] == "ongoing")
    code, out = run("show", "orebro", "13")
    assert code == 0 and "Förvaltning Kultur och fritid" in out
    code, out = run("show", "tierp", "1.1")
    assert code == 1 and "ambiguous" in out and "kommun-1.1, civil-1.1" in out
    code, out = run("show", "tierp", "kommun-9.9")
    assert code == 1 and "no activity" in out


def test_sync_of_a_broken_file_loads_nothing() -> None:
    code, out = run(
        "sync", str(FIXTURES / "minimal.yaml"), str(FIXTURES / "broken" / "bad_email.yaml")
    )
    assert code == 1 and "nothing was loaded" in out
    code, out = run("plans")
    assert "testby" not in out


@pytest.mark.parametrize("broken", sorted(p.name for p in (FIXTURES / "broken").iterdir()))
def test_no_broken_file_leaves_anything_half_loaded(broken: str) -> None:
    code, out = run("sync", str(FIXTURES / "minimal.yaml"), str(FIXTURES / "broken" / broken))
    assert code == 1 and "nothing was loaded" in out
    code, out = run("plans")
    assert code == 0 and "testby" not in out
