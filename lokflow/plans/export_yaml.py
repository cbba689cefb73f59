"""A plan document as a YAML plan file, in the style of the hand-written ones:
keys in the model's order, values left out where they are the default, long
texts folded (`>-`), short lists on one line (`owners: [kultur]`).

Comments cannot survive a round through the database: the export is a
canonical form. Its first lines say so and carry the digest of the revision
it was written from, which `sync` uses to tell a file exported before a web
edit from one exported after it. Reading the file back gives the same
document, and exporting that again gives the same bytes."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import yaml

from lokflow.domain.plan_document import PlanDocument
from lokflow.plans.plan_json import document_digest

BASE_MARK = "# lokflow-base: "
BASE_PATTERN = re.compile(r"^# lokflow-base: ([0-9a-f]{64})\s*$", re.MULTILINE)
WIDTH = 88
_SAFE_FOLD = re.compile(r"[^\S ]|  |[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def export_yaml(document: PlanDocument) -> str:
    """The plan file text of `document`."""
    data = document.model_dump(mode="json", exclude_defaults=True)
    data = {"lokflow": document.lokflow, **data}
    head = (f"# {document.short_name}: written by `lokflow export`. Comments are not kept;\n"
            "# edit and `lokflow sync` this file, or edit the plan in the web editor.\n"
            f"{BASE_MARK}{document_digest(document)}\n")
    return head + "".join(_mapping(data, 0))


def base_digest(text: str) -> str | None:
    """The digest an exported file was written from, if it still says."""
    found = BASE_PATTERN.search(text[:2000])
    return found.group(1) if found else None


def _mapping(data: dict[str, Any], indent: int, first_prefix: str | None = None) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        prefix = first_prefix if (index == 0 and first_prefix is not None) else pad
        lines.extend(_entry(prefix, key, value, indent))
    return lines


def _entry(prefix: str, key: str, value: Any, indent: int) -> list[str]:
    if isinstance(value, dict):
        return [f"{prefix}{key}:\n", *_mapping(value, indent + 2)]
    if isinstance(value, list):
        return _list(prefix, key, value, indent)
    long = isinstance(value, str) and len(value) + len(prefix) + len(key) > WIDTH - 2
    if long and _foldable(value):
        body = textwrap.wrap(value, width=max(WIDTH - indent - 2, 40), break_long_words=False,
                             break_on_hyphens=False)
        return [f"{prefix}{key}: >-\n", *(f"{' ' * (indent + 2)}{line}\n" for line in body)]
    return [f"{prefix}{key}: {_scalar(value)}\n"]


def _list(prefix: str, key: str, items: list[Any], indent: int) -> list[str]:
    if not items:
        return [f"{prefix}{key}: []\n"]
    if all(not isinstance(item, dict | list) for item in items):
        flow = _flow(items)
        if flow is not None and len(prefix) + len(key) + len(flow) <= WIDTH:
            return [f"{prefix}{key}: {flow}\n"]
        return [f"{prefix}{key}:\n",
                *(f"{' ' * (indent + 2)}- {_scalar(item)}\n" for item in items)]
    lines = [f"{prefix}{key}:\n"]
    inner = " " * (indent + 2)
    for item in items:
        if isinstance(item, dict) and item:
            lines.extend(_mapping(item, indent + 4, first_prefix=f"{inner}- "))
        else:
            lines.append(f"{inner}- {_scalar(item)}\n")
    return lines


def _foldable(text: str) -> bool:
    """Whether a folded block gives back exactly `text` (single spaces, no breaks)."""
    return text == text.strip() and not _SAFE_FOLD.search(text) and len(text) < 10_000


def _scalar(value: Any) -> str:
    """One value as PyYAML writes it on one line, else as a JSON string (valid YAML)."""
    if value is None:
        return "null"
    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=10**9)
    text = dumped[3:].rstrip("\n")
    if "\n" in text or not dumped.startswith("k: ") or text.startswith("'"):
        return quoted(str(value)) if isinstance(value, str) else json.dumps(value)
    return text


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (as the hand-written plans quote): characters
    YAML does not allow as they are written as escapes."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)
              or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out) + '"'


def _flow(items: list[Any]) -> str | None:
    dumped = yaml.safe_dump(items, allow_unicode=True, width=10**9, default_flow_style=True)
    text = dumped.rstrip("\n")
    return None if "\n" in text else text
