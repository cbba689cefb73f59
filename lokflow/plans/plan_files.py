"""Reading plan files: bytes -> YAML -> validated PlanDocument, or a list of
errors that each name the file, the line and the field.

Every step is bounded, whatever the file holds: its size (1 MB), what the YAML
may contain (yaml_lines.LIMITS) and how many errors are kept (100 per file;
the rest are counted)."""

from __future__ import annotations

import reprlib
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_rules import RuleViolation, plan_warnings, violations
from lokflow.plans.plan_validation import SchemaErrors, validate_plan
from lokflow.plans.yaml_lines import LineMap, YamlProblem, load_yaml_with_lines

PLAN_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 1 << 20
MAX_ERRORS = 100
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxstring = 3, 4, 6, 60


@dataclass(frozen=True)
class PlanError:
    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f" {self.field}:" if self.field else ""
        return f"{self.file}:{self.line}:{where} {self.message}"


@dataclass(frozen=True)
class PlanFile:
    """A plan file that passed every check."""

    path: Path
    document: PlanDocument
    text: str
    warnings: tuple[PlanError, ...] = ()


def field_name(path: tuple[str | int, ...]) -> str:
    """('commitments', 0, 'timeline') -> 'commitments[0].timeline'."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def find_plan_files(paths: list[Path]) -> tuple[list[Path], list[PlanError]]:
    """Expand folders to their plan files; a path that does not exist is an error."""
    files: list[Path] = []
    errors: list[PlanError] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in PLAN_SUFFIXES))
        elif path.exists():
            files.append(path)
        else:
            errors.append(PlanError(path, 0, "", "no such file or folder"))
    return files, errors


def read_plan_file(path: Path) -> PlanFile | list[PlanError]:
    raw = _read_bounded(path)
    if isinstance(raw, str):
        return [PlanError(path, 0, "", raw)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [PlanError(path, line, "", "the file is not UTF-8 text; save it as UTF-8")]
    return parse_plan_text(path, text)


def _read_bounded(path: Path) -> bytes | str:
    """The file's bytes, or why not: never more than MAX_BYTES + 1 are read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > MAX_BYTES:
            return _too_big(f"{info.st_size:,} bytes")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"
    return _too_big(f"over {MAX_BYTES:,} bytes") if len(raw) > MAX_BYTES else raw


def _too_big(size: str) -> str:
    return f"the file is {size}; a plan file may be at most 1 MB ({MAX_BYTES:,} bytes)"


def parse_plan_text(path: Path, text: str) -> PlanFile | list[PlanError]:
    if len(text) > MAX_BYTES and len(text.encode("utf-8")) > MAX_BYTES:
        return [PlanError(path, 0, "", _too_big(f"{len(text.encode('utf-8')):,} bytes"))]
    try:
        data, lines = load_yaml_with_lines(text)
    except YamlProblem as problem:
        return [PlanError(path, problem.line, field_name(problem.path), problem.message)]
    if data is None:
        return [PlanError(path, 1, "", "the file is empty; a plan needs at least 'lokflow: 1'")]
    if not isinstance(data, dict):
        return [PlanError(path, 1, "", "a plan file must be a mapping of keys to values")]
    document = validate_plan(data, MAX_ERRORS)
    if isinstance(document, SchemaErrors):
        return _schema_errors(path, document, lines)
    found = _rule_errors(path, violations(document), lines)
    if found:
        return found
    warnings = tuple(PlanError(path, lines.line_of(w.path), field_name(w.path), w.message)
                     for w in plan_warnings(document))
    return PlanFile(path=path, document=document, text=text, warnings=warnings)


def _schema_errors(path: Path, errors: SchemaErrors, lines: LineMap) -> list[PlanError]:
    found = []
    for item in errors.kept:
        location = tuple(part for part in item["loc"] if isinstance(part, str | int))
        found.append(PlanError(path, lines.line_of(location), field_name(location),
                               _message(item)))
    return _cut(path, found, errors.count)


def _rule_errors(path: Path, found: Iterable[RuleViolation], lines: LineMap) -> list[PlanError]:
    kept, count = [], 0
    for count, violation in enumerate(found, start=1):
        if count <= MAX_ERRORS:
            kept.append(PlanError(path, lines.line_of(violation.path),
                                  field_name(violation.path), violation.message))
    return _cut(path, kept, count)


def _cut(path: Path, kept: list[PlanError], count: int) -> list[PlanError]:
    """The kept errors, and a last line that says how many more there are."""
    if count > len(kept):
        kept.append(PlanError(path, 0, "", f"… and {count - len(kept):,} more errors; "
                                           "fix these first"))
    return kept


def _message(item: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see README 'Writing a plan')"
    text = str(item["msg"])
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    shown = _shown(item.get("input"))
    if shown and kind != "missing":
        text += f" (got {shown})"
    return text


def _shown(value: object) -> str:
    """A short repr of the input, or nothing: a large input is never written out whole."""
    if isinstance(value, str) and len(value) > 60:
        return ""
    shown = _REPR.repr(value)
    return shown if len(shown) <= 60 else ""


def read_plans(paths: list[Path]) -> tuple[list[PlanFile], list[PlanError]]:
    """Read and check every plan under `paths`; errors of all files at once."""
    files, errors = find_plan_files(paths)
    plans: list[PlanFile] = []
    seen: dict[str, Path] = {}
    for path in files:
        result = read_plan_file(path)
        if isinstance(result, list):
            errors.extend(result)
            continue
        slug = result.document.slug
        if slug in seen:
            errors.append(
                PlanError(path, 1, "slug", f"plan slug {slug!r} is also used by {seen[slug]}")
            )
            continue
        seen[slug] = path
        plans.append(result)
    if not files and not errors:
        errors.append(
            PlanError(paths[0] if paths else Path("."), 0, "", "no plan files (*.yaml) found")
        )
    return plans, errors
