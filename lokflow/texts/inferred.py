"""How a value the source does not give is marked, wherever it is shown: the
feeds, the annual report and the pages all call `inferred_note`, so a reader
sees the same words everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from lokflow.texts import known_language

INFERRED_TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "note": "Antaget (anges inte i handlingsplanen): {fields}.",
        "marker": "*",
        "timeline": "tidplan",
        "annual_date": "datum",
        "dates": "datum",
        "per_year": "antal per år",
        "owners": "ansvariga",
        "executor": "utförare",
    },
    "en": {
        "note": "Inferred (not given in the action plan): {fields}.",
        "marker": "*",
        "timeline": "timeline",
        "annual_date": "date",
        "dates": "dates",
        "per_year": "number per year",
        "owners": "responsible",
        "executor": "carried out by",
    },
}

DATE_FIELDS = frozenset({"timeline", "annual_date", "dates", "per_year"})
"""Inferred fields that make the shown timeline or due date inferred."""


def inferred_labels(fields: Iterable[str], language: str) -> list[str]:
    """The fields' names in `language`, each once, in the given order."""
    words = INFERRED_TEXTS[known_language(language)]
    return list(dict.fromkeys(words.get(field, field) for field in fields))


def inferred_note(fields: Iterable[str], language: str) -> str | None:
    """'Antaget (anges inte i handlingsplanen): tidplan.' or None if nothing is."""
    labels = inferred_labels(fields, language)
    if not labels:
        return None
    return INFERRED_TEXTS[known_language(language)]["note"].format(fields=", ".join(labels))


def marks_date(fields: Iterable[str]) -> bool:
    """Whether the timeline or due date shown is (partly) inferred."""
    return bool(DATE_FIELDS & set(fields))
