"""What an owner wrote at the top of a reply: "klar", "pågår 60 %",
"försenad, ny tid 2026-03-01 – väntar på beslut", one line per activity
("Kommunen 1.1: klar") for a reminder about several.

Pure: text in, statements out. Only the lines above the quoted email count;
a line that names no status is not a statement (a greeting, a signature).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lokflow.domain.statuses import Status

MAX_LINES = 30
QUOTE_STARTS = (
    re.compile(r"^\s*>"),
    re.compile(r"^\s*(den|on|le|am)\b.*\b(skrev|wrote|a écrit|schrieb)\b.*:\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*(original|ursprungligt|vidarebefordrat|forwarded)", re.I),
    re.compile(r"^\s*(från|from|skickat|sent|från:|from:)\s*:", re.I),
    re.compile(r"^\s*_{8,}\s*$"),
    re.compile(r"^--\s*$"),
)
# Longest first, so "ej påbörjad" wins over "påbörjad" and "in progress" over "progress".
STATUS_WORDS: tuple[tuple[str, Status], ...] = tuple(sorted((
    ("ej påbörjad", Status.NOT_STARTED), ("ej påbörjat", Status.NOT_STARTED),
    ("inte påbörjad", Status.NOT_STARTED), ("inte påbörjat", Status.NOT_STARTED),
    ("ej startad", Status.NOT_STARTED), ("not started", Status.NOT_STARTED),
    ("pågår", Status.IN_PROGRESS), ("pågående", Status.IN_PROGRESS),
    ("in progress", Status.IN_PROGRESS), ("ongoing", Status.IN_PROGRESS),
    ("klar", Status.DONE), ("klart", Status.DONE), ("färdig", Status.DONE),
    ("färdigt", Status.DONE), ("genomförd", Status.DONE), ("genomfört", Status.DONE),
    ("done", Status.DONE), ("finished", Status.DONE), ("completed", Status.DONE),
    ("försenad", Status.DELAYED), ("försenat", Status.DELAYED), ("sen", Status.DELAYED),
    ("delayed", Status.DELAYED), ("late", Status.DELAYED),
    ("pausad", Status.PAUSED), ("pausat", Status.PAUSED), ("vilande", Status.PAUSED),
    ("paused", Status.PAUSED), ("on hold", Status.PAUSED),
    ("inställd", Status.CANCELLED), ("inställt", Status.CANCELLED),
    ("cancelled", Status.CANCELLED), ("canceled", Status.CANCELLED),
), key=lambda pair: -len(pair[0])))
LABELLED = re.compile(r"^\s*(?P<label>[^:\n]{1,80}?)\s*:\s*(?P<rest>\S.*)$")
PROGRESS = re.compile(r"(?<![\d-])(\d{1,3})\s*(%|procent|percent)", re.I)
DATE_PHRASE = re.compile(
    r"(?:(?:ny|nytt)\s+(?:tid|datum|tidpunkt)|new\s+date|nytt\s+slutdatum)?\s*:?\s*"
    r"(\d{4}-\d{2}-\d{2})", re.I)
REASON = re.compile(r"\s[–—-]\s*(?P<reason>\S.*)$|(?:eftersom|because|skäl:|reason:)\s*"
                    r"(?P<reason2>\S.*)$", re.I)


@dataclass(frozen=True)
class Statement:
    """One line's report: for the activity named by `label` (None: unnamed)."""

    text: str
    label: str | None
    status: Status
    progress: int | None = None
    new_date: date | None = None
    date_text: str | None = None
    reason: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ReadReply:
    statements: list[Statement]
    unread: list[str]  # lines above the quote that look meant but name no status


def new_text(body: str) -> list[str]:
    """The non-empty lines written above the quoted email or signature."""
    lines = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if any(p.search(line) for p in QUOTE_STARTS):
            break
        if line.strip():
            lines.append(line.strip())
        if len(lines) >= MAX_LINES:
            break
    return lines


def read_reply(body: str, labels: list[str]) -> ReadReply:
    """Statements of the reply's new lines; `labels` are the activity labels
    the reply may name ("Kommunen 1.1")."""
    known = {_norm(label): label for label in labels}
    statements, unread = [], []
    for line in new_text(body):
        label, rest = _label(line, known)
        found = _statement(line, label, rest)
        if found is not None:
            statements.append(found)
        elif label is not None or _looks_meant(line):
            unread.append(line)
    return ReadReply(statements, unread)


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("\u00a0", " ").split()).rstrip(".")


def _label(line: str, known: dict[str, str]) -> tuple[str | None, str]:
    found = LABELLED.match(line)
    if found and _norm(found.group("label")) in known:
        return known[_norm(found.group("label"))], found.group("rest")
    for norm, label in known.items():  # "Kommunen 1.1 klar" without the colon
        if _norm(line).startswith(norm + " "):
            return label, line[len(label):].strip(" :,-–")
    return None, line


def _statement(line: str, label: str | None, rest: str) -> Statement | None:
    status, after = _status(rest)
    if status is None:
        return None
    progress = PROGRESS.search(after)
    dated = DATE_PHRASE.search(after)
    new_date, date_text, reason = None, None, None
    if dated:
        date_text = dated.group(1)
        try:
            new_date = date.fromisoformat(date_text)
        except ValueError:
            new_date = None
        why = REASON.search(after[dated.end():])
        if why:
            reason = (why.group("reason") or why.group("reason2") or "").strip() or None
    comment = _leftover(after, progress, dated)
    return Statement(text=line, label=label, status=status,
                     progress=int(progress.group(1)) if progress else None,
                     new_date=new_date, date_text=date_text, reason=reason, comment=comment)


def _status(text: str) -> tuple[Status | None, str]:
    """The status word the text starts with, and the text after it (as typed)."""
    stripped = text.lstrip(" -*•")
    lowered = stripped.casefold()
    for word, status in STATUS_WORDS:
        if lowered.startswith(word) and not lowered[len(word):len(word) + 1].isalpha():
            return status, stripped[len(word):].strip(" ,.:;!")
    return None, text


def _leftover(after: str, progress: re.Match[str] | None,
              dated: re.Match[str] | None) -> str | None:
    """Words beside the status that are not its progress, date or reason."""
    rest = after
    if dated:
        rest = rest[:dated.start()]
    if progress:
        rest = rest.replace(progress.group(0), " ")
    rest = " ".join(rest.split()).strip(" ,.;:–—-")
    return rest if len(rest) > 2 else None


def _looks_meant(line: str) -> bool:
    """A short line that is not a greeting or a sign-off."""
    words = _norm(line).split()
    polite = {"hej", "hej!", "hi", "hello", "tack", "tack!", "thanks", "mvh", "hälsningar",
              "vänliga", "regards", "best"}
    return bool(words) and words[0].strip("!,.") not in polite and len(words) <= 12
