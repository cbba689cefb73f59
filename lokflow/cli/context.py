"""What every command shares: settings, and the app built on first use.

Light at import time: the composition root (SQLAlchemy, Alembic, the
migrations) is imported only when a command first asks for `.app`, so a
command that reads plan files alone never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from lokflow.settings import Settings, SettingsError

if TYPE_CHECKING:
    from lokflow.bootstrap import App

console = Console(soft_wrap=True, emoji=False, highlight=False)  # user text is literal
errors = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)


@dataclass
class CliState:
    settings: Settings
    _app: App | None = field(default=None)

    @property
    def app(self) -> App:
        if self._app is None:
            from lokflow.bootstrap import bootstrap

            try:
                self._app = bootstrap(self.settings)
            except SettingsError as error:
                raise fail(str(error)) from None
        return self._app


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print 'error: message' (the message as plain text) and return the exit to raise."""
    errors.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)
