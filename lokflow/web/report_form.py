"""The owner's report form: field names, parsing and validation.

Each activity's short form names its fields `a<id>-<field>` (the hidden
`occurrence` is the occurrence the form showed). An activity whose fields are
all empty is simply not reported. The rules are the shared
ones of `reporting.report_input`; errors are returned as text keys per field
(`err_<rule>`, the rule's message), so the page can show them next to the
field and in a summary at the top.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from lokflow.reporting.report_input import (
    MAX_NAME,
    SUBMISSION_KEY,
    ReportInput,
    ReportRejected,
    parse_report,
)

FIELDS = ("status", "progress", "comment", "obstacles", "new_date", "reason", "key",
          "occurrence", "discuss")  # discuss: "ta upp på dialogmötet" (issue 17), not reported
HIDDEN = ("key", "occurrence")
NAME = re.compile(r"a([0-9]{1,12})-([a-z_]{1,12})")
# The form's field names -> the shared input's names, and back.
INPUT_NAMES = {"status": "status", "progress": "progress", "comment": "comment",
               "obstacles": "obstacles", "new_date": "proposed_date",
               "reason": "proposed_reason", "key": "submission_key",
               "occurrence": "occurrence"}
FORM_NAMES = {v: k for k, v in INPUT_NAMES.items()}

@dataclass
class ActivityEntry:
    """What was typed for one activity, its errors, and the report it makes."""

    activity_id: int
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    report: ReportInput | None = None

    @property
    def filled(self) -> bool:
        return any(self.values.get(name) for name in FIELDS if name not in HIDDEN)


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
    def to_discuss(self) -> set[int]:
        """Activities whose owner asked to take them up at the dialogue meeting."""
        return {e.activity_id for e in self.entries.values() if e.values.get("discuss") == "1"}

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
    """The shared rules of `report_input`; each problem lands next to its field."""
    if not entry.filled:
        return
    values: dict[str, object] = {INPUT_NAMES[k]: v for k, v in entry.values.items()
                                 if k in INPUT_NAMES}
    if not SUBMISSION_KEY.fullmatch(str(values.get("submission_key", ""))):
        # the page's own hidden value, tampered with: not the owner's error to fix
        values.pop("submission_key", None)
    values.update(reporter_name=reporter[:MAX_NAME])
    try:
        # the address comes from the link, not from what was typed
        entry.report = replace(parse_report(values, channel="web", today=today),
                               reporter_email=email)
    except ReportRejected as rejected:
        for problem in rejected.problems:
            entry.errors.setdefault(FORM_NAMES.get(problem.field, "status"),
                                    f"err_{problem.code}")
