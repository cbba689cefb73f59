"""README.md documents every setting, CLI command and plan-file field (as datasette does)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from pydantic import BaseModel

from lokflow.cli.app import app as cli
from lokflow.domain import plan_document as doc
from lokflow.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`LOKFLOW_{name.upper()}`" in README


def _commands() -> list[str]:
    group = typer.main.get_command(cli)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names.extend(f"{name} {sub}" for sub in subcommands) if subcommands else names.append(name)
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_cli_command_is_documented(command: str) -> None:
    assert re.search(rf"`lokflow {re.escape(command)}[ `\[|]", README), command


def _fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


@pytest.mark.parametrize(
    "field",
    sorted(
        {
            f
            for m in (
                doc.PlanDocument,
                doc.Activity,
                doc.Commitment,
                doc.Unit,
                doc.Contact,
                doc.FollowUp,
                doc.Reminders,
                doc.EscalationLevel,
                doc.Source,
            )
            for f in _fields(m)
        }
    ),
)
def test_every_plan_field_is_documented(field: str) -> None:
    assert f"`{field}`" in README or f"{field}:" in README, field


def test_import_contracts_hold() -> None:
    """The import-linter contracts: layers go downwards, the core stays pure."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
