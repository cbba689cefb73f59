"""The CLI loads a command's heavy modules only when that command runs.

Each command runs in a child process started the way `lokflow` starts; when it
has finished, the child writes the names in `sys.modules`. This checks the
imports, not a time: the time is `lokflow bench`'s "cli start" figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from lokflow.cli.app import COMMANDS, app
from lokflow.plans.plan_files import read_plans
from tests.conftest import PLANS

ROOT = Path(__file__).resolve().parents[2]
# What neither reading plan files nor a database listing needs.
HEAVY = ("prefect", "fastapi", "starlette", "uvicorn", "typst", "openpyxl", "icalendar",
         "aiosmtplib", "jinja2", "httpx", "lokflow.web", "lokflow.orchestration",
         "lokflow.annual_report", "lokflow.delivery", "lokflow.feeds.builder", "flows")
# Runs the CLI's command as `lokflow` does, then writes the exit code and
# sys.modules (`main` would end a read-only command without returning).
CHILD = (
    "import json, sys\n"
    "report, sys.argv = sys.argv[1], ['lokflow', *sys.argv[2:]]\n"
    "from lokflow.cli.app import app\n"
    "try:\n"
    "    app()\n"
    "    code = 0\n"
    "except SystemExit as end:\n"
    "    code = end.code or 0\n"
    "with open(report, 'w') as out:\n"
    "    json.dump({'code': code, 'modules': sorted(sys.modules)}, out)\n"
)


def run_cli(args: list[str], home: Path, report: Path) -> tuple[int, str, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKFLOW_")}
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env.update({"PYTHONPATH": path, "LOKFLOW_HOME": str(home)})
    result = subprocess.run([sys.executable, "-c", CHILD, str(report), *args], env=env,
                            cwd=home.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads(report.read_text())
    return found["code"], result.stdout, set(found["modules"])


def loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_validate_imports_neither_database_nor_prefect_nor_web(tmp_path: Path) -> None:
    code, out, modules = run_cli(["validate", str(PLANS / "tierp.yaml")], tmp_path / "home",
                                 tmp_path / "modules.json")
    [plan], errors = read_plans([PLANS / "tierp.yaml"])
    assert not errors
    assert code == 0 and f"1 plan(s) valid, {len(plan.document.activities())} activities" in out
    assert "lokflow.plans.plan_files" in modules  # it did read the plan
    heavy = [p for p in (*HEAVY, "sqlalchemy", "alembic") if loaded(modules, p)]
    assert heavy == []


@pytest.mark.parametrize(("args", "expected"), [
    (["show", "tierp", "kommun-1.1"], "kommun-1.1"),
    (["plans"], "LÖK Tierp"),
])
def test_database_listings_skip_prefect_web_and_the_migrations(
        args: list[str], expected: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, _, modules = run_cli(["sync", str(PLANS / "tierp.yaml")], home, tmp_path / "sync.json")
    assert code == 0 and loaded(modules, "alembic")  # a new database was migrated
    code, out, modules = run_cli(args, home, tmp_path / "modules.json")
    assert code == 0 and expected in out
    assert "lokflow.plans.plan_queries" in modules
    heavy = [p for p in (*HEAVY, "alembic", "lokflow.plans.plan_files") if loaded(modules, p)]
    assert heavy == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_in_the_table_loads(name: str) -> None:
    """A wrong "module:function" line in the table fails here, not in a user's hands."""
    group = get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    assert command.name == name and command.help


def test_a_read_only_command_ends_quickly_with_its_output_and_exit_code(tmp_path: Path) -> None:
    """`main` ends `plans` and `show` without the interpreter's teardown: what
    they print still arrives whole through a pipe, and an error still exits 1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKFLOW_")}
    env["LOKFLOW_HOME"] = str(tmp_path / "home")
    lokflow = [sys.executable, "-m", "lokflow.cli"]
    subprocess.run([*lokflow, "sync"], env=env, check=True, capture_output=True)
    listed = subprocess.run([*lokflow, "plans"], env=env, capture_output=True, text=True)
    assert listed.returncode == 0
    assert all(slug in listed.stdout for slug in ("botkyrka", "lulea", "orebro", "tierp",
                                                  "vasteras"))
    assert listed.stdout.rstrip().endswith("┘")  # the table's last line arrived
    missing = subprocess.run([*lokflow, "show", "tierp", "no-such"], env=env,
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "no activity 'no-such'" in missing.stderr
