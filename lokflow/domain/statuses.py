"""The status an owner reports for an activity (or one of its occurrences)."""

from __future__ import annotations

from enum import StrEnum

from lokflow.texts.vocabulary import STATUS_LABELS


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
        return STATUS_LABELS[language][self.value]

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accepts the English name or the Swedish label ('pågår', 'ej påbörjad')."""
        wanted = " ".join(text.strip().lower().replace("_", " ").split())
        for status in cls:
            labels = (words[status.value] for words in STATUS_LABELS.values())
            names = {status.value.replace("_", " "), *labels}
            if wanted in {n.lower() for n in names}:
                return status
        choices = ", ".join(STATUS_LABELS["sv"][s.value] for s in cls)
        raise ValueError(f"unknown status {text!r}; use one of: {choices}")
