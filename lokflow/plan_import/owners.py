"""Owners as written ('Kultur- och fritidsförvaltningen, föreningarna') matched
to the plan's units: exactly by id or name, then part by part, then by
similarity (difflib), with suggestions for what stays unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lokflow.domain.plan_document import Unit
from lokflow.plan_import.columns import normal
from lokflow.texts.import_words import NEW_UNIT_ID, OWNER_JOINS, PLAIN_LETTERS

SURE = 0.88
SUGGEST = 0.5
_STRONG = re.compile(r"[,;/\n&+]|" + re.escape(OWNER_JOINS[1]), re.IGNORECASE)
_AND = re.compile(re.escape(OWNER_JOINS[0]), re.IGNORECASE)


@dataclass
class OwnerMatch:
    keys: list[str] = field(default_factory=list)
    similar: list[tuple[str, str]] = field(default_factory=list)
    """(name as written, unit id) matched by similarity only: shown in the preview."""
    unknown: list[str] = field(default_factory=list)


class OwnerMatcher:
    def __init__(self, units: list[Unit], told: dict[str, str]) -> None:
        self.units = units
        self.names: dict[str, str] = {}
        for unit in units:
            self.names[normal(unit.id)] = unit.id
            self.names[normal(unit.name)] = unit.id
        self.told = {normal(k): v for k, v in told.items()}

    def match(self, written: str) -> OwnerMatch:
        found = OwnerMatch()
        whole = self._exact(written)
        if whole is not None:
            found.keys.append(whole)
            return found
        for part in (p.strip(" .") for p in _STRONG.split(written)):
            if part:
                self._part(part, found)
        return found

    def _exact(self, text: str) -> str | None:
        key = normal(text)
        return self.told.get(key) or self.names.get(key)

    def _part(self, part: str, found: OwnerMatch) -> None:
        exact = self._exact(part)
        if exact is not None:
            _add(found.keys, exact)
            return
        pieces = [p.strip() for p in _AND.split(part) if p.strip()]
        if len(pieces) > 1 and all(self._exact(p) for p in pieces):
            for piece in pieces:
                _add(found.keys, self._exact(piece) or "")
            return
        best, score = self.closest(part)
        if best is not None and score >= SURE:
            _add(found.keys, best)
            found.similar.append((part, best))
        else:
            found.unknown.append(part)

    def closest(self, written: str) -> tuple[str | None, float]:
        ranked = self.suggestions(written, 1)
        return (ranked[0][0], ranked[0][1]) if ranked else (None, 0.0)

    def suggestions(self, written: str, count: int = 3) -> list[tuple[str, float]]:
        """Unit ids most like `written`, best first, above SUGGEST."""
        text = normal(written)
        scores: dict[str, float] = {}
        for name, key in self.names.items():
            score = SequenceMatcher(None, text, name).ratio()
            scores[key] = max(scores.get(key, 0.0), score)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [(key, score) for key, score in ranked[:count] if score >= SUGGEST]


def _add(keys: list[str], key: str) -> None:
    if key and key not in keys:
        keys.append(key)


def new_unit_id(name: str, taken: set[str]) -> str:
    """An id for a unit created from an owner's name: 'Nya rådet' -> 'nya-radet'."""
    plain = name.casefold().translate(str.maketrans(*PLAIN_LETTERS))
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or NEW_UNIT_ID
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key
