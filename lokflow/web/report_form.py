"""The owner's report form: field names, parsing and validation.

Each activity has its own group of fields, named `a<id>-<field>`. An activity
whose fields are all empty is simply not reported. Errors are returned as
text keys per field, so the page can show them next to the field and in a
summary at the top.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from lokflow.domain.statuses import Status
from lokflow.reporting.status_reports import MAX_TEXT, ReportInput

FIELDS = ("status", "progress", "comment", "obstacles", "new_date", "reason", "key")
TEXT_FIELDS = ("comment", "obstacles", "reason")
NAME = re.compile(r"a([0-9]{1,12})-([a-z_]{1,12})")
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
LATEST_NEW_DATE = timedelta(days=10 * 366)


@dataclass
class ActivityEntry:
    """What was typed for one activity, its errors, and the report it makes."""

    activity_id: int
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    report: ReportInput | None = None

    @property
    def filled(self) -> bool:
        return any(self.values.get(name) for name in FIELDS if name != "key")


@dataclass
class ParsedForm:
    entries: dict[int, ActivityEntry]
    csrf: str | None

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """(activity id, field, text key) of every error, in form order."""
        return [(e.activity_id, name, key) for e in self.entries.values()
                for name, key in e.errors.items()]

    @property
    def reports(self) -> dict[int, ReportInput]:
        return {e.activity_id: e.report for e in self.entries.values() if e.report is not None}


def fresh_entries(activity_ids: Iterable[int]) -> dict[int, ActivityEntry]:
    """Empty entries with a new random submission key each (for a new form)."""
    return {i: ActivityEntry(i, {"key": secrets.token_urlsafe(16)}) for i in activity_ids}


def parse_form(items: Iterable[tuple[str, str]], reporter: str, email: str,
               today: date) -> ParsedForm:
    """Group posted fields by activity and validate each group."""
    entries: dict[int, ActivityEntry] = {}
    csrf = None
    for name, value in items:
        if name == "csrf":
            csrf = csrf or value
            continue
        match = NAME.fullmatch(name)
        if match is None or match.group(2) not in FIELDS:
            continue
        entry = entries.setdefault(int(match.group(1)), ActivityEntry(int(match.group(1))))
        entry.values.setdefault(match.group(2), value.replace("\r\n", "\n").strip())
    for entry in entries.values():
        _validate(entry, reporter, email, today)
    return ParsedForm(entries, csrf)


def _validate(entry: ActivityEntry, reporter: str, email: str, today: date) -> None:
    if not entry.filled:
        return
    values, errors = entry.values, entry.errors
    status = _status(values.get("status", ""), errors)
    progress = _progress(values.get("progress", ""), errors)
    for name in TEXT_FIELDS:
        text = values.get(name, "")
        if len(text) > MAX_TEXT:
            errors[name] = "err_too_long"
        elif any(ord(c) < 32 and c not in "\n\t" for c in text):
            errors[name] = "err_characters"
    new_date = _new_date(values.get("new_date", ""), today, errors)
    if values.get("new_date") and not values.get("reason") and "reason" not in errors:
        errors["reason"] = "err_reason_required"
    if values.get("reason") and not values.get("new_date") and "new_date" not in errors:
        errors["new_date"] = "err_date_required"
    key = values.get("key", "")
    if errors or status is None:
        return
    entry.report = ReportInput(
        status=status, reporter_name=reporter, reporter_email=email, channel="web",
        progress=progress, comment=values.get("comment") or None,
        obstacles=values.get("obstacles") or None, proposed_date=new_date,
        proposed_reason=values.get("reason") or None,
        submission_key=key if KEY.fullmatch(key) else None)


def _status(text: str, errors: dict[str, str]) -> Status | None:
    if not text:
        errors["status"] = "err_status_required"
        return None
    try:
        return Status(text) if len(text) <= 20 else Status("invalid")
    except ValueError:
        errors["status"] = "err_status_invalid"
        return None


def _progress(text: str, errors: dict[str, str]) -> int | None:
    text = text.removesuffix("%").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 3 or int(text) > 100:
        errors["progress"] = "err_progress"
        return None
    return int(text)


def _new_date(text: str, today: date, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        errors["new_date"] = "err_date"
    elif not today <= day <= today + LATEST_NEW_DATE:
        errors["new_date"] = "err_date_range"
    return day if "new_date" not in errors else None
