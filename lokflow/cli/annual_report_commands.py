"""`lokflow annual-report`: compile, rebuild and list annual follow-up reports.

The command only parses options and writes files; compiling, storing and
rebuilding are in `services.annual_reports`, shared with the Prefect flow.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from lokflow.annual_report import archive as service
from lokflow.annual_report.formats import FORMATS, file_name
from lokflow.cli.context import console, errors, fail, state

FORMAT_HELP = "pdf, html, md or xlsx."


def parse_as_of(text: str, zone: ZoneInfo) -> datetime:
    """A date means the end of that day; a time without offset is local."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.max, zone)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise fail(f"--as-of {text!r} is not an ISO date or time, e.g. 2024-11-15") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _write(data: bytes, output: Path | None, default: str) -> str:
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "standard output"
    target = output or Path(default)
    target.write_bytes(data)
    return str(target)


def _say(output: Path | None) -> Callable[..., None]:
    """Status lines go to standard error when the report goes to standard output."""
    return errors.print if output is not None and str(output) == "-" else console.print


Plan = Annotated[str | None, typer.Argument(help="The plan's slug, e.g. tierp.")]
Year = Annotated[int | None, typer.Option(help="The follow-up year (default: this year).")]
FormatName = Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)]
Output = Annotated[Path | None, typer.Option(
    "--output", "-o", help="File to write; '-' for standard output; default: "
    "arlig-uppfoljning-PLAN-YEAR.FORMAT here.")]
Language = Annotated[str | None, typer.Option(help="sv or en (default: the plan's).")]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="Use the data as of this date or time (default: now, or the end of a "
    "past year).")]
Rebuild = Annotated[int | None, typer.Option(
    "--rebuild", metavar="ID", help="Rebuild archived report ID from its snapshot.")]
ListReports = Annotated[bool, typer.Option("--list", help="List archived reports.")]
Email = Annotated[bool, typer.Option(
    help="Also queue the PDF to the plan's coordinators (sent by `lokflow send`).")]


def annual_report(ctx: typer.Context, plan: Plan = None, year: Year = None,
                  format_name: FormatName = "pdf", output: Output = None,
                  language: Language = None, as_of: AsOf = None, rebuild: Rebuild = None,
                  list_reports: ListReports = False, email: Email = False) -> None:
    """Compile the annual follow-up report of a plan, store it, and write it as
    PDF, HTML, Markdown or XLSX; or rebuild or list archived ones."""
    if format_name not in FORMATS:
        raise fail(f"unknown format {format_name!r}; use {FORMAT_HELP}")
    if language not in (None, "sv", "en"):
        raise fail("--language must be sv or en")
    if list_reports:
        return _list(ctx, plan)
    if rebuild is not None:
        return _rebuild(ctx, rebuild, format_name, output, language)
    if plan is None:
        raise fail("name a plan (e.g. `lokflow annual-report tierp --year 2024`), "
                   "or use --rebuild ID or --list")
    app = state(ctx).app
    zone = app.settings.tz
    chosen_year = year or app.today().year
    moment = parse_as_of(as_of, zone) if as_of else None
    try:
        with app.sessions.begin() as session:
            report, created = service.compile_version(session, plan, chosen_year, app.now(),
                                                      zone=zone, language=language, as_of=moment)
            data = service.document(report, format_name)
            queued = service.email_to_coordinators(session, report, app.now(),
                                                   app.today()) if email else None
            report_id, report_language = report.id, report.language
    except service.ReportNotFound as error:
        raise fail(str(error)) from None
    where = _write(data, output, file_name(plan, chosen_year, format_name, report_language))
    stored = "stored" if created else "unchanged since it was stored, not stored again"
    _say(output)(f"annual report {report_id} ({escape(plan)} {chosen_year}, "
                  f"{report_language}) {stored}; wrote {len(data)} bytes of {format_name} to "
                  f"{escape(where)}", highlight=False)
    if queued is not None:
        _say(output)(f"queued for {queued.items} coordinator(s); `lokflow send` delivers it",
                      highlight=False)


def _rebuild(ctx: typer.Context, report_id: int, format_name: str, output: Path | None,
             language: str | None) -> None:
    app = state(ctx).app
    with app.read() as session:
        try:
            report = service.get_report(session, report_id)
        except service.ReportNotFound as error:
            raise fail(str(error)) from None
        data = service.rebuild(report, format_name, language)
        same = format_name == "pdf" and (language or report.language) == report.language and (
            data == report.pdf)
        slug = report.snapshot["plan"]["slug"]
        name = file_name(slug, report.year, format_name, language or report.language)
    where = _write(data, output, name)
    note = " (identical to the stored PDF)" if same else ""
    _say(output)(f"rebuilt annual report {report_id}: {len(data)} bytes of {format_name} "
                  f"to {escape(where)}{note}", highlight=False)


def _list(ctx: typer.Context, plan: str | None) -> None:
    app = state(ctx).app
    with app.read() as session:
        found = service.list_reports(session, plan_slug=plan)
    if not found:
        console.print("no annual reports stored yet")
        return
    table = Table("id", "plan", "year", "language", "version", "compiled", "data as of",
                  "pdf bytes")
    for r in found:
        table.add_row(str(r.id), escape(r.plan), str(r.year), r.language,
                      f"{r.version} of {r.versions}",
                      r.created_at.astimezone(app.settings.tz).strftime("%Y-%m-%d %H:%M"),
                      escape(r.as_of[:16].replace("T", " ")), str(r.pdf_bytes))
    console.print(table)
