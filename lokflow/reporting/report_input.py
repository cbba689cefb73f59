"""The one definition of a status report's input and its rules.

The owner's form, the JSON API and the CLI all hand their values to
`parse_report`: strings from a form or a command line, JSON values from the
API. The same rules give the same problems, each a field and a code whose
text (Swedish and English) is in `report_messages`. `record_report` checks
every report again, so no channel can store what another would refuse.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email

from lokflow.domain.statuses import Status
from lokflow.texts.report_rules import MESSAGES, TEXT_LIMIT, message

__all__ = ["FIELDS", "MAX_NAME", "MAX_TEXT", "MESSAGES", "Problem", "ReportInput",
           "ReportRejected", "as_values", "parse_report"]

MAX_TEXT = TEXT_LIMIT
MAX_NAME = 200
MAX_EMAIL = 320
MAX_OCCURRENCE = 64
LATEST_NEW_DATE = timedelta(days=10 * 366)
CHANNELS = ("web", "cli", "api", "email")
# How an owner gave a report that a coordinator records on their behalf.
BEHALF_CHANNELS = ("phone", "meeting", "email", "other")
FIELDS = ("status", "progress", "comment", "obstacles", "proposed_date", "proposed_reason",
          "reporter_name", "reporter_email", "occurrence", "submission_key")
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,64}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PROGRESS = re.compile(r"[0-9]{1,3}")
T = TypeVar("T")


@dataclass(frozen=True)
class ReportInput:
    """A report that passed the rules, ready to be recorded."""

    status: Status
    reporter_name: str
    channel: str
    progress: int | None = None
    comment: str | None = None
    obstacles: str | None = None
    proposed_date: date | None = None
    proposed_reason: str | None = None
    reporter_email: str | None = None
    occurrence_key: str | None = None
    submission_key: str | None = None


@dataclass(frozen=True)
class Problem:
    """One broken rule: which field, which rule (a code of `MESSAGES`)."""

    field: str
    code: str
    limit: int | None = None

    def message(self, language: str) -> str:
        return message(self.code, language, self.limit)


class ReportRejected(ValueError):
    """The report breaks one or more rules; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message('en')}" for p in self.problems))

    def messages(self, language: str) -> list[str]:
        return [p.message(language) for p in self.problems]


class _Broken(Exception):
    def __init__(self, code: str, limit: int | None = None) -> None:
        self.code, self.limit = code, limit


def _text(value: object, limit: int) -> str | None:
    """Optional text: CRLF as LF, trimmed, bounded, no control characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Broken("text_type")
    text = value.replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise _Broken("text_too_long", limit)
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise _Broken("text_characters")
    return text or None


def _status(value: object) -> Status:
    if value is None or value == "":
        raise _Broken("status_required")
    if isinstance(value, str) and value.strip() in Status._value2member_map_:
        return Status(value.strip())
    raise _Broken("status_invalid")


def _progress(value: object) -> int | None:
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
        if not value:
            return None
        if not PROGRESS.fullmatch(value):
            raise _Broken("progress_invalid")
        value = int(value)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise _Broken("progress_invalid")
    return value


def _day(value: object, today: date) -> date | None:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        try:
            value = date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
        except ValueError:
            value = None
        if value is None:
            raise _Broken("date_invalid")
    if value is None:
        return None
    if not isinstance(value, date):
        raise _Broken("date_invalid")
    if not today <= value <= today + LATEST_NEW_DATE:
        raise _Broken("date_range")
    return value


def _name(value: object) -> str:
    name = _text(value, MAX_NAME)
    if not name:
        raise _Broken("name_required")
    return name


def _email(value: object) -> str | None:
    address = _text(value, MAX_EMAIL)
    if address is None:
        return None
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise _Broken("email_invalid") from None
    return address


def _key(value: object) -> str | None:
    key = _text(value, 64)
    if key is not None and not SUBMISSION_KEY.fullmatch(key):
        raise _Broken("submission_key_invalid")
    return key


def parse_report(values: Mapping[str, object], *, channel: str, today: date) -> ReportInput:
    """The report these values make, or ReportRejected with every problem."""
    if channel not in CHANNELS + BEHALF_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    problems = [Problem(shown(name), "unknown_field") for name in values if name not in FIELDS]

    def check(name: str, rule: Callable[[object], T]) -> T | None:
        try:
            return rule(values.get(name))
        except _Broken as broken:
            problems.append(Problem(name, broken.code, broken.limit))
            return None

    status = check("status", _status)
    progress = check("progress", _progress)
    comment = check("comment", _long_text)
    obstacles = check("obstacles", _long_text)
    proposed_date = check("proposed_date", lambda v: _day(v, today))
    reason = check("proposed_reason", _long_text)
    name = check("reporter_name", _name)
    email = check("reporter_email", _email)
    occurrence = check("occurrence", lambda v: _text(v, MAX_OCCURRENCE))
    key = check("submission_key", _key)
    date_given = values.get("proposed_date") not in (None, "")
    if date_given and not reason and not _has(problems, "proposed_reason"):
        problems.append(Problem("proposed_reason", "reason_required"))
    if reason and not date_given:
        problems.append(Problem("proposed_date", "date_required"))
    if problems or status is None or name is None:
        raise ReportRejected(sorted(problems, key=_form_order))
    return ReportInput(
        status=status, reporter_name=name, channel=channel, progress=progress,
        comment=comment, obstacles=obstacles, proposed_date=proposed_date,
        proposed_reason=reason, reporter_email=email, occurrence_key=occurrence,
        submission_key=key)


def shown(name: object) -> str:
    """An unknown field's name as it can be echoed (bounded, valid UTF-8)."""
    return str(name)[:64].encode("utf-8", "backslashreplace").decode("utf-8")


def _long_text(value: object) -> str | None:
    return _text(value, MAX_TEXT)


def _has(problems: list[Problem], field: str) -> bool:
    return any(p.field == field for p in problems)


def _form_order(problem: Problem) -> int:
    return FIELDS.index(problem.field) if problem.field in FIELDS else -1


def as_values(report: ReportInput) -> dict[str, object]:
    """A report's values under the input's field names (to check it again)."""
    return {"status": report.status, "progress": report.progress, "comment": report.comment,
            "obstacles": report.obstacles, "proposed_date": report.proposed_date,
            "proposed_reason": report.proposed_reason, "reporter_name": report.reporter_name,
            "reporter_email": report.reporter_email, "occurrence": report.occurrence_key,
            "submission_key": report.submission_key}
