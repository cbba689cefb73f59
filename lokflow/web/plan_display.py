"""How plan values read on the editor's pages: a changed value, a field's
dotted name as labels ('Kontaktpersoner 1 › E-post'), a choice's label."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request

from lokflow.texts.pages import PAGE_TEXTS
from lokflow.texts.vocabulary import PARTY_LABELS
from lokflow.web.templating import language_of

_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


class Display:
    def __init__(self, language: str) -> None:
        self.language = language
        self.t = PAGE_TEXTS[language]

    def shown(self, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return self.t["yes"] if value else self.t["no"]
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            return ", ".join(str(v) for v in value)
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def field_label(self, field: str) -> str:
        parts = []
        for name, index in _PART.findall(field):
            label = self.t.get(f"field_{name}", name)
            parts.append(f"{label} {int(index) + 1}" if index else label)
        return " › ".join(parts) or field

    def choice_label(self, key: str, choice: str) -> str:
        if key == "party":
            return PARTY_LABELS[self.language].get(choice, choice)
        return self.t.get(f"choice_{key}_{choice}", choice)


def display(request: Request) -> dict[str, Any]:
    """What the editor's templates call: shown(), field_label(), choice_label()."""
    found = Display(language_of(request))
    return {"shown": found.shown, "field_label": found.field_label,
            "choice_label": found.choice_label}
