"""Two independent readings of an .ics file, for cross-checking feeds:
icalendar + recurring-ical-events (Python) and Mozilla's ical.js (Node).
Each yields occurrences as (uid, start, end, summary); all-day values as
dates, timed ones in UTC. Also the RFC 5545 line checks."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar

JS = Path(__file__).resolve().parents[1] / "js"
Occurrence = tuple[str, str, str, str]


def ensure_ical_js() -> Path:
    """Installs ical.js (pinned in tests/js/package-lock.json) if missing."""
    if not (JS / "node_modules" / "ical.js").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: run tests/install-system-deps.sh")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=JS, check=True,
                       timeout=180)
    return JS


def _show(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def python_occurrences(body: bytes, start: date, end: date) -> set[Occurrence]:
    calendar = Calendar.from_ical(body)
    found = set()
    for event in recurring_ical_events.of(calendar).between(start, end):
        found.add((str(event["UID"]), _show(event.start), _show(event.end),
                   str(event.get("SUMMARY", ""))))
    return found


def ical_js_occurrences(path: Path, start: date, end: date) -> set[Occurrence]:
    node = shutil.which("node")
    assert node, "node is missing: run tests/install-system-deps.sh"
    result = subprocess.run(
        [node, str(ensure_ical_js() / "ical_occurrences.mjs"), str(path), start.isoformat(),
         end.isoformat()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = set()
    for line in result.stdout.splitlines():
        item = json.loads(line)
        found.add((item["uid"], item["start"], item["end"], item["summary"]))
    return found


def assert_rfc5545_lines(body: bytes) -> None:
    """CRLF only; every physical line at most 75 octets and whole UTF-8."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in body.replace(b"\r\n", b""), "bare CR"
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold inside a character would fail here
