"""The status an owner reports for an activity (or one of its occurrences)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """English names in the API and database; Swedish labels for people."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    PAUSED = "paused"
    CANCELLED = "cancelled"

    @property
    def resolves(self) -> bool:
        """Whether this status ends reminders and escalation for its occurrence."""
        return self in (Status.DONE, Status.CANCELLED)

    def label(self, language: str = "sv") -> str:
        return LABELS[language][self]

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accepts the English name or the Swedish label ('pågår', 'ej påbörjad')."""
        wanted = " ".join(text.strip().lower().replace("_", " ").split())
        for status in cls:
            names = {status.value.replace("_", " "), LABELS["sv"][status], LABELS["en"][status]}
            if wanted in {n.lower() for n in names}:
                return status
        choices = ", ".join(LABELS["sv"][s] for s in cls)
        raise ValueError(f"unknown status {text!r}; use one of: {choices}")


LABELS: dict[str, dict[Status, str]] = {
    "sv": {
        Status.NOT_STARTED: "ej påbörjad",
        Status.IN_PROGRESS: "pågår",
        Status.DONE: "klar",
        Status.DELAYED: "försenad",
        Status.PAUSED: "pausad",
        Status.CANCELLED: "inställd",
    },
    "en": {
        Status.NOT_STARTED: "not started",
        Status.IN_PROGRESS: "in progress",
        Status.DONE: "done",
        Status.DELAYED: "delayed",
        Status.PAUSED: "paused",
        Status.CANCELLED: "cancelled",
    },
}
