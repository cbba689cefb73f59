"""CLI commands: annual_report_commands (filled by its issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `lokflow` app."""
