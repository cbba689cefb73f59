"""The `lokflow` command: one table of command names and where each one lives.

A command's module is imported only when that command runs (or when `--help`
lists them all), so `lokflow validate` never pays for Prefect, the web app or
the annual report. To add a command, add one line to `COMMANDS`.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from lokflow.cli.context import CliState, fail
from lokflow.settings import Settings, SettingsError

if TYPE_CHECKING:
    from typer._click import Command  # typer's own copy of click

# name -> "module:attribute"; a function is a command, a `typer.Typer` a group
# of subcommands. The order is the order of `lokflow --help`.
COMMANDS: dict[str, str] = {
    "validate": "lokflow.cli.plan_file_commands:validate",
    "sync": "lokflow.cli.sync_command:sync",
    "plans": "lokflow.cli.plan_commands:plans",
    "activities": "lokflow.cli.plan_commands:activities",
    "show": "lokflow.cli.plan_commands:show",
    "run": "lokflow.cli.run_command:run",
    "serve": "lokflow.cli.serve_command:serve",
    "export": "lokflow.cli.transfer_commands:export",
    "import": "lokflow.cli.transfer_commands:import_plan",
    "deploy": "lokflow.cli.engine_commands:deploy",
    "sweep": "lokflow.cli.engine_commands:sweep",
    "send": "lokflow.cli.engine_commands:send",
    "outbox": "lokflow.cli.engine_commands:outbox",
    "simulate": "lokflow.cli.simulate_command:simulate",
    "bench": "lokflow.cli.bench_command:bench",
    "report": "lokflow.cli.report_commands:report",
    "history": "lokflow.cli.report_commands:history",
    "feed": "lokflow.cli.feed_commands:feed",
    "annual-report": "lokflow.cli.annual_report_commands:annual_report",
    "dashboard": "lokflow.cli.coordinator_commands:dashboard",
    "notices": "lokflow.cli.coordinator_commands:notices",
    "remind": "lokflow.cli.coordinator_commands:remind",
    "dates": "lokflow.cli.report_commands:dates_app",
    "round": "lokflow.cli.round_commands:round_app",
    "users": "lokflow.cli.account_commands:users_app",
    "apikeys": "lokflow.cli.account_commands:keys_app",
    "links": "lokflow.cli.account_commands:links_app",
    "feeds": "lokflow.cli.feed_commands:feeds",
    "replies": "lokflow.cli.reply_commands:replies",
    "renegotiate": "lokflow.cli.agreement_commands:renegotiate_command",
    "evaluation": "lokflow.cli.agreement_commands:evaluation_command",
    "meetings": "lokflow.cli.agreement_commands:meetings_command",
}


# Commands that only read and print: no threads, children, files or writes
# after their output. They end without the interpreter's teardown of
# SQLAlchemy, pydantic and rich, which costs 0.1 s of a 0.5 s command.
QUICK_EXIT = frozenset({"validate", "plans", "activities", "show", "history", "outbox"})


def load_command(name: str, target: str) -> Command:
    """Import `module:attribute` and turn it into the click command `name`."""
    module_name, _, attribute = target.partition(":")
    found = getattr(importlib.import_module(module_name), attribute)
    if isinstance(found, typer.Typer):
        return typer.main.get_group_from_info(
            TyperInfo(found, name=name), pretty_exceptions_short=True,
            suggest_commands=True, rich_markup_mode=None)
    return typer.main.get_command_from_info(
        CommandInfo(name=name, callback=found), pretty_exceptions_short=True,
        rich_markup_mode=None)


class LazyCommands(MutableMapping[str, "Command"]):
    """The commands of `COMMANDS` by name; each one is built on first lookup.

    Listing the names (help, "did you mean …?") imports nothing."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.loaded: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self.loaded:
            self.loaded[name] = load_command(name, self.table[name])  # KeyError: unknown
        return self.loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.loaded.pop(name, None)
        self.table = {k: v for k, v in self.table.items() if k != name}

    def __iter__(self) -> Iterator[str]:
        yield from self.table
        yield from (name for name in self.loaded if name not in self.table)

    def __len__(self) -> int:
        return len(self.table.keys() | self.loaded.keys())


class LazyGroup(TyperGroup):
    """The `lokflow` group: its commands come from `COMMANDS`, loaded when used."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS)


app = typer.Typer(
    name="lokflow",
    help="lokflow: action plans of a local agreement (LÖK) as running workflows.",
    cls=LazyGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(ctx: typer.Context) -> None:
    try:
        ctx.obj = CliState(settings=Settings())
    except SettingsError as error:
        raise fail(str(error)) from None


def main() -> None:
    if not QUICK_EXIT & set(sys.argv[1:2]):
        app()
        return
    try:
        app()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if not isinstance(code, int | None):
        raise SystemExit(code)  # a message: let Python print it
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
