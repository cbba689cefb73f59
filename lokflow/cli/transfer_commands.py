"""`lokflow export` and `lokflow import`: a plan out as a YAML file or an XLSX
workbook, and a plan file, workbook, CSV file or Word document in, with a
preview of what changes (and `--dry-run` to stop there)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from lokflow.cli import coordinator_commands
from lokflow.cli.change_lines import print_changes
from lokflow.cli.context import console, errors, fail, state
from lokflow.domain.plan_document import PlanDocument
from lokflow.plan_import.file_guard import MAX_FILE_BYTES
from lokflow.plan_import.mapping import Mapping, MappingError, read_mapping
from lokflow.plan_import.service import Prepared, prepare
from lokflow.plans.export_yaml import export_yaml
from lokflow.plans.file_sync import refusal
from lokflow.plans.plan_diff import diff_plans, summarise
from lokflow.plans.plan_reading import PlanMissing, current_document
from lokflow.plans.revision_apply import PlanRejected, apply_document
from lokflow.plans.revisions import Authored
from lokflow.plans.workbooks import export_workbook
from lokflow.texts.import_refusals import REFUSALS

SOURCES = {"plan_file": "import", "workbook": "workbook", "tables": "import"}


def export(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Argument(
        help="Plan slug, e.g. tierp (the activity table of all plans without it).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")]
    = None,
    format: Annotated[Literal["yaml", "xlsx", "csv"] | None, typer.Option(
        "--format", "-f", help="yaml (a plan file), xlsx (a plan workbook, or the activity "
        "table with --table or --where) or csv (the activity table).")] = None,
    table: Annotated[bool, typer.Option("--table", help="The activity table, not the plan.")]
    = False,
    query: Annotated[list[str] | None, typer.Option(
        "--where", help="A filter of the web's activity table, e.g. overdue=1, owner=kultur, "
        "sort=due (repeatable; implies --table).")] = None,
    language: Annotated[str | None, typer.Option(
        help="sv or en: the activity table's column words (implies --table).")] = None,
) -> None:
    """Write a plan as it is now (YAML plan file or XLSX workbook), or with --table,
    --where or csv the activity table as on the web (CSV or XLSX)."""
    if plan is None or table or query or language or format == "csv":
        coordinator_commands.export(ctx, plan, format or "csv", output, query, language or "sv")
        return
    chosen = format or "yaml"
    target = output or Path(f"{plan}.{chosen}")
    with state(ctx).app.read() as session:
        try:
            _, document, number = current_document(session, plan)
        except PlanMissing:
            raise fail(f"no plan {plan!r}; `lokflow plans` lists them") from None
    try:
        data = export_yaml(document).encode("utf-8") if chosen == "yaml" else (
            export_workbook(document))
    except ValueError as error:  # a workbook cannot hold control characters
        raise fail(f"{plan}: {error}; export it as yaml") from None
    target.write_bytes(data)
    console.print(f"{plan}: revision {number} written to {escape(str(target))} "
                  f"({len(data):,} bytes)")


def import_plan(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .yaml, .xlsx, .ods, .csv or .docx file.")],
    plan: Annotated[str | None, typer.Option(help="The plan to import into (needed for "
                                                  "CSV, Word and foreign workbooks).")] = None,
    mapping: Annotated[Path | None, typer.Option(help="A mapping file (YAML) that says which "
                                                      "column holds what.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write "
                                                            "nothing.")] = False,
    reason: Annotated[str | None, typer.Option(help="Why (kept with the revision).")] = None,
    force: Annotated[bool, typer.Option(help="Load even if the plan was edited in the web "
                                             "since the file was exported.")] = False,
) -> None:
    """Import a plan file, workbook, CSV file or Word tables, with a preview."""
    app = state(ctx).app
    rules = _mapping(mapping)
    raw = _bytes(file)
    with app.sessions.begin() as session:
        base = _base(session, plan)
        found = prepare(raw, file.name, base, rules, str(base.language) if base else "sv")
        _stop_on_problems(found, str(base.language) if base else "sv")
        assert found.document is not None
        if base is None:
            base = _base(session, found.document.slug, missing_ok=True)
            found.changes = diff_plans(base, found.document)
        _preview(found)
        if not force and found.kind != "tables":
            _refuse_if_edited(session, found)
        if dry_run:
            console.print("dry run: nothing was written")
            raise typer.Exit(0)
        who = Authored(f"{getpass.getuser()} (cli)", SOURCES[found.kind],  # type: ignore[arg-type]
                       reason or f"import of {file.name}", origin=str(file))
        try:
            applied = apply_document(session, found.document, who, app.now())
        except PlanRejected as rejected:
            raise fail(str(rejected)) from None
    if applied.revision is None:
        console.print(f"{found.document.slug}: no changes")
    else:
        console.print(f"{found.document.slug}: revision {applied.revision.number} "
                      f"({len(applied.changes)} changes)")


def _refuse_if_edited(session: Session, found: Prepared) -> None:
    """A plan file or workbook must not undo what was saved since it was exported."""
    assert found.document is not None
    refused = refusal(session, found.document, found.based_on)
    if refused is None:
        return
    errors.print(f"[red]refused:[/red] {found.document.slug} was changed since this file "
                 f"was exported (revision {refused.head} now).")
    print_changes(refused.changes, "file", "database", to_errors=True)
    errors.print("Export the plan first (`lokflow export`) and make your change there, or "
                 "use --force (the other changes stay in the history).")
    raise typer.Exit(1)


def _mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    try:
        return read_mapping(path)
    except MappingError as error:
        raise fail(str(error)) from None


def _bytes(file: Path) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise fail(f"{file}: cannot read ({error.strerror})") from None


def _base(session: Session, slug: str | None, missing_ok: bool = False
          ) -> PlanDocument | None:
    if slug is None:
        return None
    try:
        return current_document(session, slug)[1]
    except PlanMissing:
        if missing_ok:
            return None
        raise fail(f"no plan {slug!r}; `lokflow plans` lists them") from None


def _stop_on_problems(found: Prepared, language: str) -> None:
    if found.refused is not None:
        text = REFUSALS[language][found.refused.code].format(**found.refused.values)
        raise fail(text)
    if found.problems:
        for problem in found.problems:
            errors.print(escape(problem.text(language)), highlight=False)
        errors.print(f"[red]{len(found.problems)} problem(s)[/red]; nothing was imported.")
        raise typer.Exit(1)


def _preview(found: Prepared) -> None:
    for view in found.views:
        if view.used:
            roles = ", ".join(f"{role}={view.columns.headers[i]!r}"
                              for role, i in sorted(view.columns.roles.items(), key=lambda r: r[1]))
            console.print(f"table {escape(view.label)}: {escape(roles)}")
    if found.built is not None:
        for written, key in found.built.similar:
            console.print(f"owner {escape(written)!r} matched to unit {key} by similarity")
        for key in found.built.new_units:
            console.print(f"new unit: {key}")
    summary = summarise(found.changes)
    console.print(f"created {len(summary.added)}, changed {len(summary.changed)}, "
                  f"archived {len(summary.removed)}")
    print_changes(found.changes, "now", "file")
