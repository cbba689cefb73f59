"""Plan changes as lines for the terminal: one per item and field."""

from __future__ import annotations

import json
from typing import Any

from rich.markup import escape

from lokflow.cli.context import console, errors
from lokflow.plans.plan_diff import Change

MAX_LINES = 200


def shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text[:80] + ("…" if len(text) > 80 else "")) if isinstance(text, str) else text


def change_line(change: Change, old_name: str = "", new_name: str = "") -> str:
    item = f"{change.section} {change.key}".strip()
    if change.kind == "added":
        return f"{item}: only in {new_name or 'the new version'} {shown(change.new)}"
    if change.kind == "removed":
        return f"{item}: only in {old_name or 'the old version'} {shown(change.old)}"
    if change.field == "order":
        return f"{item}: the order of activities differs"
    old = f"{old_name}: " if old_name else ""
    new = f"{new_name}: " if new_name else ""
    return f"{item}: {change.field}: {old}{shown(change.old)} -> {new}{shown(change.new)}"


def print_changes(changes: list[Change], old_name: str = "", new_name: str = "",
                  to_errors: bool = False) -> None:
    out = errors if to_errors else console
    for change in changes[:MAX_LINES]:
        out.print("  " + escape(change_line(change, old_name, new_name)), highlight=False)
    if len(changes) > MAX_LINES:
        out.print(f"  … and {len(changes) - MAX_LINES} more differences")
