"""The annual report as a workbook: one row per activity with every status
column, the format coordinators keep today, plus a summary sheet.

Text is always stored as text: a comment that starts with `=` stays a
comment and never becomes a formula. The file's dates come from the
snapshot and its zip entries carry a fixed time, so a rebuild gives the same
bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from lokflow.annual_report import committee_words as cw
from lokflow.annual_report import presentation as p
from lokflow.annual_report.charts import COLOURS
from lokflow.annual_report.rules import STATUS_ORDER
from lokflow.texts.annual_report import status_label, words
from lokflow.texts.inferred import inferred_labels

HEADER_FILL = PatternFill("solid", fgColor="12304F")
WIDE = 60


def put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one cell; strings are forced to text (no formulas, no illegal bytes)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _columns(s: dict[str, Any], lang: str) -> list[tuple[str, int]]:
    w, year = words(lang), s["year"]
    names = [
        (w["activity"], 16), (w["xlsx_label"], 12), (w["party"], 14), (w["principle"], 20),
        (w["commitment"], 30), ("text", WIDE), (w["responsible"], 24), (w["partners"], 20),
        (w["timeline"], 16), ("inferred", 16), (w["status"], 13), (w["progress"] + " %", 9),
        (w["comment"], WIDE), (w["obstacles"], 40), ("reported_on", 12), ("reporter", 18),
        ("occurrence", 12), (w["kf_finished"].format(year=year), 10),
        (w["expected"], 10), (w["reported"], 10), (w["last_report"], 12),
        (w["s_overdue"], 40), (w["new_dates"], 50), ("previous", 13), (w["since_last"], 30),
        (w["xlsx_joint"], 30),
    ]
    names += [(str(row["year"]), 13) for row in s["trend"]]
    return names


def _header_words(lang: str) -> dict[str, str]:
    w = words(lang)
    return {name: w[f"xlsx_{name}"]
            for name in ("text", "reported_on", "reporter", "occurrence", "previous", "inferred")}


def _row(s: dict[str, Any], e: dict[str, Any], lang: str,
         late: dict[str, list[dict[str, Any]]], years: dict[str, dict[int, str]]) -> list[Any]:
    w = words(lang)
    names = p.principle_names(s)
    commitments = {c["key"]: c for sec in s["sections"] for c in sec["commitments"]}
    c = commitments.get(e["commitment"], {})
    yes = w["yes"]
    previous = e.get("previous") or {}
    return [
        cw.label(s, e, lang), e["key"], p.party_label(s, e["party"], lang),
        names.get(e["principle"], "") if e["principle"] else "",
        f"{p.commitment_title(c, lang)}: {c.get('text', '')}" if c else "", e["text"],
        ", ".join(e["owners"]), ", ".join(e["partners"]), e["timeline"],
        ", ".join(inferred_labels(e.get("inferred", ()), lang)),
        status_label(e["status"], lang), e["progress"], e["comment"] or "",
        e["obstacles"] or "", _day(e["reported_on"]), e["reporter"] or "",
        e["occurrence"] or "", yes if e["finished_this_year"] else "",
        yes if e["expected"] else "", e["reports_this_year"], _day(e["last_report_on"]),
        "; ".join(f"{o['due']} ({o['days']})" for o in late.get(e["key"], [])),
        "; ".join(p.moved_line(m, lang) for m in e["date_changes"]),
        status_label(previous.get("status"), lang) if previous else "",
        p.change_text(e, lang), cw.joint_line(e, lang) or "",
        *(years.get(e["key"], {}).get(t["year"], "") for t in s["trend"]),
    ]


def _activities_sheet(sheet: Worksheet, s: dict[str, Any], lang: str) -> None:
    columns = _columns(s, lang)
    header = _header_words(lang)
    for index, (name, width) in enumerate(columns, start=1):
        put(sheet, 1, index, header.get(name, name))
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    late = {item["key"]: item["occurrences"] for item in s["overdue"]}
    years = {row["key"]: {r["year"]: p.fulfilment_text(r, lang) for r in row["years"]}
             for row in s["recurring"]}
    status_column = 10
    for number, entry in enumerate(s["activities"], start=2):
        for column, value in enumerate(_row(s, entry, lang, late, years), start=1):
            put(sheet, number, column, value)
            sheet.cell(row=number, column=column).alignment = Alignment(
                wrap_text=columns[column - 1][1] >= 20, vertical="top")
        colour = COLOURS[entry["status"] or "none"].lstrip("#").upper()
        if colour != "FFFFFF":
            cell = sheet.cell(row=number, column=status_column)
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.font = Font(color="222222" if entry["status"] == "paused" else "FFFFFF")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def _summary_sheet(sheet: Worksheet, s: dict[str, Any], lang: str) -> None:
    w, sm = words(lang), s["summary"]
    rows: list[list[Any]] = [
        [w["title"].format(year=s["year"]), s["plan"]["short_name"]],
        [w["as_of"], s["as_of"]],
        [w["kf_activities"], sm["activities"]],
        [w["kf_finished"].format(year=s["year"]), sm["finished_this_year"]],
        [w["kf_overdue"], sm["overdue"]],
        [w["kf_response"].format(year=s["year"]), sm["response_rate"]],
        [w["kf_no_report"].format(year=s["year"]), sm["no_report"]],
        [],
        [w["party"], *(status_label(x, lang) for x in STATUS_ORDER), w["total"]],
        *([p.party_label(s, r["party"], lang), *(r["counts"][x] for x in STATUS_ORDER), r["total"]]
          for r in sm["by_party"]),
        [w["total"], *(sm["by_status"][x] for x in STATUS_ORDER), sm["activities"]],
        [],
        [w["unit"], w["owned"], w["expected"], w["reported"], w["rate"] + " %"],
        *([r["name"], r["owned"], r["expected"], r["reported"], r["rate"]]
          for r in s["response"]),
        *_committee_rows(s, lang),
    ]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            put(sheet, r, c, value)
    sheet.column_dimensions["A"].width = 34
    sheet["A1"].font = Font(bold=True, size=13)


def render_xlsx(snapshot: dict[str, Any], language: str, report_id: int | None = None) -> bytes:
    w = words(language)
    book = Workbook()
    activities = book.active
    assert activities is not None
    activities.title = w["activity"][:31]
    _activities_sheet(activities, snapshot, language)
    _summary_sheet(book.create_sheet(w["s_summary"][:31]), snapshot, language)
    if cw.has_assessments(snapshot):
        _assessments_sheet(book.create_sheet(w["s_assessments"][:31]), snapshot, language)
    compiled = datetime.fromisoformat(snapshot["compiled_at"]).astimezone(UTC)
    compiled = compiled.replace(microsecond=0, tzinfo=None)  # workbooks keep naive UTC
    book.properties.creator = "lokflow"
    book.properties.title = w["title"].format(year=snapshot["year"])
    book.properties.created = compiled
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), compiled)


def _reproducible(data: bytes, moment: datetime) -> bytes:
    """The same workbook with fixed zip times and the snapshot's modified date
    (openpyxl stamps both with the clock)."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body)
    return out.getvalue()


def _committee_rows(s: dict[str, Any], lang: str) -> list[list[Any]]:
    """The coordinator's notes under the summary, where written."""
    w, notes = words(lang), cw.notes(s)
    found: list[list[Any]] = [[w["case_number"], notes.get("case_number")],
             [w["s_decision"], notes.get("proposed_decision")],
             [w["s_coordinator_summary"], notes.get("summary")],
             [w["highlights"], "\n".join(notes.get("highlights") or [])]]
    chosen = [row for row in found if row[1]]
    return [[], *chosen] if chosen else []


def _assessments_sheet(sheet: Worksheet, s: dict[str, Any], lang: str) -> None:
    """One row per principle (and the whole agreement), each party's scale and
    text in columns of its own: side by side, never merged."""
    w = words(lang)
    parties = s["assessments"]["parties"]
    head = [w["assessment_target"]]
    for party in cw.PARTIES:
        name = w[f"assessment_{party}"]
        head += [f"{name} (1–4)", name]
    rows: list[list[Any]] = [head]
    for key, (title, _) in zip(s["assessments"]["targets"], cw.assessment_rows(s, lang),
                               strict=True):
        row: list[Any] = [title]
        for party in cw.PARTIES:
            given = parties[party]["targets"].get(key) or {}
            row += [given.get("scale"), given.get("text") or ""]
        rows.append(row)
    rows += [[], *([line] for line in cw.given_lines(s, lang))]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            put(sheet, r, c, value)
            sheet.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (30, 10, WIDE, 10, WIDE), strict=True):
        sheet.column_dimensions[letter].width = width
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
