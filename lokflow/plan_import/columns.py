"""Which column holds what: found by the header's words (Swedish first, also
English), or told by a mapping. The header is the first of the top rows
that names an activity column and at least one other."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lokflow.plans.workbook_cells import is_empty, text_of
from lokflow.texts.import_words import HEADER_WORDS

ROLES = ("id", "number", "commitment", "party", "text", "owners", "executor", "partners",
         "timeline", "timeline_note", "note", "kind")
SYNONYMS = HEADER_WORDS
HEADER_SEARCH = 10
_WORD = re.compile(r"[\w#-]+")


def normal(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _score(header: str, role: str) -> int:
    """3: the header is a synonym; 2: it starts with one; 1: it holds one as a word."""
    words = normal(header)
    if not words:
        return 0
    best = 0
    for synonym in SYNONYMS[role]:
        if words == synonym:
            return 3
        if words.startswith(synonym + " "):
            best = max(best, 2)
        elif f" {synonym} " in f" {words} " and len(synonym) > 3:
            best = max(best, 1)
    return best


@dataclass
class Columns:
    """Role -> column index (0-based), the header row (0-based) and each column's
    header text."""

    roles: dict[str, int] = field(default_factory=dict)
    header_row: int = 0
    headers: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return "text" in self.roles


def detect(rows: list[list[Any]], told: dict[str, str] | None = None,
           header_row: int | None = None) -> Columns:
    """The columns of a table; `told` maps a header text or column letter to a role."""
    candidates = [header_row] if header_row is not None else range(min(HEADER_SEARCH, len(rows)))
    best = Columns()
    for index in candidates:
        if index >= len(rows):
            continue
        found = _roles(rows[index], told or {})
        if "text" in found.roles and (len(found.roles) >= 2 or told) and (
                len(found.roles) > len(best.roles)):
            found.header_row = index
            best = found
    return best


def _roles(header: list[Any], told: dict[str, str]) -> Columns:
    texts = [text_of(c) if not is_empty(c) else "" for c in header]
    chosen: dict[str, int] = {}
    told_normal = {normal(k): v for k, v in told.items()}
    for index, text in enumerate(texts):
        role = told_normal.get(normal(text)) or told.get(_letter(index))
        if role in ROLES and role not in chosen:
            chosen[role] = index
    taken = set(chosen.values())
    for role in ROLES:
        if role in chosen:
            continue
        scored = [(_score(text, role), -i, i) for i, text in enumerate(texts) if i not in taken]
        scored = [s for s in scored if s[0] > 0]
        if scored:
            best = max(scored)
            if _stronger_elsewhere(texts[best[2]], role, best[0]):
                continue
            chosen[role] = best[2]
            taken.add(best[2])
    return Columns(chosen, 0, texts)


def _stronger_elsewhere(text: str, role: str, score: int) -> bool:
    """'Kommentar tidsplan' is a timeline note, not a timeline or a note."""
    return any(_score(text, other) > score for other in ROLES if other != role)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def letter(index: int) -> str:
    return _letter(index)
