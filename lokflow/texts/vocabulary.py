"""The words every part of lokflow shares: status labels and the parties of
an agreement. The keys are the English names used in the API and database."""

from __future__ import annotations

STATUS_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "not_started": "ej påbörjad",
        "in_progress": "pågår",
        "done": "klar",
        "delayed": "försenad",
        "paused": "pausad",
        "cancelled": "inställd",
    },
    "en": {
        "not_started": "not started",
        "in_progress": "in progress",
        "done": "done",
        "delayed": "delayed",
        "paused": "paused",
        "cancelled": "cancelled",
    },
}

PARTY_LABELS: dict[str, dict[str, str]] = {
    "sv": {"municipality": "Kommunen", "civil_society": "Civilsamhället", "joint": "Gemensamt"},
    "en": {"municipality": "Municipality", "civil_society": "Civil society", "joint": "Joint"},
}

TOKEN_LABELS: dict[str, dict[str, str]] = {
    "sv": {"email": "e-postlänk", "calendar": "kalenderlänk", "manual": "utfärdad manuellt",
           "personal": "personlig"},
    "en": {"email": "email link", "calendar": "calendar link", "manual": "issued by hand",
           "personal": "personal"},
}


def token_label(stored: str, language: str) -> str:
    """A token's label in `language`: stored as a key; older rows hold Swedish words."""
    for words in TOKEN_LABELS.values():
        for key, word in words.items():
            if stored in (key, word):
                return TOKEN_LABELS[language][key]
    return stored
