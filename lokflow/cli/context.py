"""What every command shares: settings, and the app built on first use."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer
from rich.console import Console

from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


@dataclass
class CliState:
    settings: Settings
    _app: App | None = field(default=None)

    @property
    def app(self) -> App:
        if self._app is None:
            self._app = bootstrap(self.settings)
        return self._app


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(code)
