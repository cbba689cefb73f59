"""An uploaded or given file -> the plan document it makes, with every problem
at once and what would change, before anything is written: a plan file
(YAML), a plan workbook written by `lokflow export`, or a foreign workbook,
CSV file or Word document whose tables are mapped onto an existing plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lokflow.domain.plan_document import PlanDocument
from lokflow.plan_import.build import Built, build_plan
from lokflow.plan_import.file_guard import Refused, check_size
from lokflow.plan_import.mapping import Mapping
from lokflow.plan_import.rows import ImportRow, TableView, table_rows
from lokflow.plan_import.tables import read_tables, read_workbook, suffix_of
from lokflow.plans.export_yaml import base_digest
from lokflow.plans.plan_diff import Change, diff_plans
from lokflow.plans.plan_files import PlanFile, parse_plan_text
from lokflow.plans.plan_messages import Place, Problem
from lokflow.plans.workbook_reading import document_from_sheets, is_plan_workbook, workbook_base


@dataclass
class Prepared:
    """`kind`: 'plan_file', 'workbook' (lokflow's own) or 'tables' (foreign)."""

    kind: str
    document: PlanDocument | None = None
    problems: list[Problem] = field(default_factory=list)
    views: list[TableView] = field(default_factory=list)
    built: Built | None = None
    based_on: str | None = None
    changes: list[Change] = field(default_factory=list)
    refused: Refused | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.problems and self.refused is None


def prepare(raw: bytes, filename: str, base: PlanDocument | None, mapping: Mapping,
            language: str = "sv") -> Prepared:
    """Read, map and check; nothing is written. `base` is the plan as it is
    (required for foreign tables, which only bring activities)."""
    try:
        check_size(len(raw))
        found = _read(raw, filename, base, mapping, language)
    except Refused as refused:
        return Prepared("refused", refused=refused)
    if found.document is not None and base is not None:
        if found.document.slug != base.slug:
            found.problems.append(Problem("wrong_plan", (), {"value": found.document.slug}))
            found.document = None
        else:
            found.changes = diff_plans(base, found.document)
    return found


def _read(raw: bytes, filename: str, base: PlanDocument | None, mapping: Mapping,
          language: str) -> Prepared:
    suffix = suffix_of(filename)
    if suffix in (".yaml", ".yml"):
        return _plan_file(raw, filename)
    if suffix in (".xlsx", ".xlsm", ".ods"):
        sheets = read_workbook(raw, suffix)
        if is_plan_workbook(sheets):
            result = document_from_sheets(sheets)
            if isinstance(result, list):
                return Prepared("workbook", problems=result)
            return Prepared("workbook", document=result, based_on=workbook_base(sheets))
    tables = read_tables(raw, filename)
    views, rows = [], []
    for table in tables:
        view, found = table_rows(table, mapping, language)
        views.append(view)
        rows.extend(found)
    return _tables(views, rows, base, mapping)


def _tables(views: list[TableView], rows: list[ImportRow], base: PlanDocument | None,
            mapping: Mapping) -> Prepared:
    if not rows or base is None:
        return Prepared("tables", views=views, problems=[Problem("no_activities")])
    built = build_plan(base, rows, mapping)
    return Prepared("tables", document=built.document, problems=built.problems, views=views,
                    built=built)


def _plan_file(raw: bytes, filename: str) -> Prepared:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Prepared("plan_file", problems=[Problem("yaml_error", (), {
            "row": "1", "detail": "the file is not UTF-8 text"})])
    result = parse_plan_text(Path(filename), text)
    if isinstance(result, list):
        return Prepared("plan_file", problems=[
            Problem("yaml_error", (), {"row": str(e.line), "detail": _detail(e.field, e.message)},
                    Place(filename)) for e in result])
    assert isinstance(result, PlanFile)
    return Prepared("plan_file", document=result.document, based_on=base_digest(text))


def _detail(field: str, message: str) -> str:
    return f"{field}: {message}" if field else message
