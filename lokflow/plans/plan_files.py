"""Reading plan files: bytes -> YAML -> validated PlanDocument, or a list of
errors that each name the file, the line and the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_rules import check_plan
from lokflow.plans.yaml_lines import LineMap, YamlProblem, load_yaml_with_lines

PLAN_SUFFIXES = (".yaml", ".yml")


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
        elif path.is_file():
            files.append(path)
        else:
            errors.append(PlanError(path, 0, "", "no such file or folder"))
    return files, errors


def read_plan_file(path: Path) -> PlanFile | list[PlanError]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [PlanError(path, line, "", "the file is not UTF-8 text; save it as UTF-8")]
    return parse_plan_text(path, text)


def parse_plan_text(path: Path, text: str) -> PlanFile | list[PlanError]:
    try:
        data, lines = load_yaml_with_lines(text)
    except YamlProblem as problem:
        return [PlanError(path, problem.line, "", problem.message)]
    if data is None:
        return [PlanError(path, 1, "", "the file is empty; a plan needs at least 'lokflow: 1'")]
    if not isinstance(data, dict):
        return [PlanError(path, 1, "", "a plan file must be a mapping of keys to values")]
    try:
        document = PlanDocument.model_validate(data)
    except ValidationError as error:
        return _schema_errors(path, error, lines, data)
    violations = check_plan(document)
    if violations:
        return [
            PlanError(path, lines.line_of(v.path), field_name(v.path), v.message)
            for v in violations
        ]
    return PlanFile(path=path, document=document, text=text)


def _schema_errors(
    path: Path, error: ValidationError, lines: LineMap, data: dict[str, Any]
) -> list[PlanError]:
    found = []
    for item in error.errors(include_url=False):
        location = tuple(part for part in item["loc"] if isinstance(part, str | int))
        message = _message(item)
        found.append(PlanError(path, lines.line_of(location), field_name(location), message))
    return found


def _message(item: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see README 'Writing a plan')"
    text = str(item["msg"])
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    if "input" in item and kind not in ("missing",):
        shown = repr(item["input"])
        if len(shown) <= 60:
            text += f" (got {shown})"
    return text


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
