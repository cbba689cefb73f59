"""The bundled plans as a coordinator leaves them before turning reminders on:
every placeholder contact confirmed as real. For tests that deliver the seed
plans' mail over a real SMTP server, where placeholders are skipped."""

from __future__ import annotations

import re
from pathlib import Path

from lokflow.settings import bundled_plans_dir

PLACEHOLDER_LINE = re.compile(r"^\s*placeholder: true\s*\n", re.MULTILINE)


def with_real_contacts(folder: Path, slugs: tuple[str, ...] | None = None) -> Path:
    """Copies of the bundled plans (all, or `slugs`) in `folder`, without
    `placeholder: true`; returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(bundled_plans_dir().glob("*.yaml")):
        if slugs is None or path.stem in slugs:
            text = PLACEHOLDER_LINE.sub("", path.read_text(encoding="utf-8"))
            (folder / path.name).write_text(text, encoding="utf-8")
    return folder
