"""Dates in words: '15 november 2024' in Swedish, '15 November 2024' in English."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def long_date(value: str | date | None, language: str) -> str:
    """'15 november 2024' / '15 November 2024'; '' for nothing."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


def date_time(value: str | datetime, language: str) -> str:
    """A moment in its own (local) offset: '15 november 2024 kl. 20.00'."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    clock = f"kl. {moment:%H.%M}" if language == "sv" else f"at {moment:%H:%M}"
    return f"{long_date(moment.date(), language)} {clock}"
