"""Files shaped like the seed plans' own tables, as coordinators keep them: a
table per party with a commitment heading row (merged across the row) above
its activities, columns Nr | Aktivitet | Ansvarig | Tidsplan | Samverkanspart
(Nr left out when the source has no numbers), written as XLSX, Word, CSV and
ODS by real libraries (openpyxl, python-docx) or by hand (ODS, CSV)."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.sax.saxutils import escape

import docx
from openpyxl import Workbook

from lokflow.domain.plan_document import PlanDocument

PARTY_TITLES = {"municipality": "Kommunens åtaganden", "civil_society": "Föreningarnas "
                "åtaganden", "joint": "Gemensamma åtaganden"}


def seed_tables(document: PlanDocument, owners_as: dict[str, str] | None = None
                ) -> list[tuple[str, list[list[str]]]]:
    names = {u.id: u.name for u in document.units}
    numbered = any(a.number for _, a in document.activities())
    kinds = any(a.kind == "follow_up" for _, a in document.activities())
    tables: dict[str, list[list[str]]] = {}
    for commitment in document.commitments:
        header = (["Nr"] if numbered else []) + ["Aktivitet", "Ansvarig", "Tidsplan",
                                                 "Samverkanspart"] + (["Typ"] if kinds else [])
        rows = tables.setdefault(str(commitment.party), [header])
        rows.append([commitment.text] * len(header))  # a merged heading row
        for activity in commitment.activities:
            owners = "; ".join((owners_as or {}).get(k, names[k]) for k in activity.owners)
            rows.append(([activity.number or ""] if numbered else []) + [
                activity.text, owners, activity.timeline, ", ".join(activity.partners)]
                + ([("Följs upp" if activity.kind == "follow_up" else "")] if kinds else []))
    return [(PARTY_TITLES[party], rows) for party, rows in tables.items()]


def as_xlsx(tables: list[tuple[str, list[list[str]]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in tables:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_docx(tables: list[tuple[str, list[list[str]]]]) -> bytes:
    document = docx.Document()
    document.add_heading("Aktivitetsplan", level=1)
    for title, rows in tables:
        document.add_heading(title, level=2)
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            cells = table.add_row().cells
            if len(set(row)) == 1 and len(row) > 1:
                merged = cells[0].merge(cells[-1])
                merged.text = row[0]
                continue
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_csv(rows: list[list[str]], separator: str = ";", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator).writerows(rows)
    return out.getvalue().encode(encoding)


def as_ods(tables: list[tuple[str, list[list[str]]]]) -> bytes:
    """A minimal ODS, with the empty rows LibreOffice writes at a sheet's end."""
    body = []
    for title, rows in tables:
        body.append(f'<table:table table:name="{escape(title)}">')
        for row in rows:
            cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(c)}'
                            f'</text:p></table:table-cell>' if c else "<table:table-cell/>"
                            for c in row)
            body.append(f"<table:table-row>{cells}</table:table-row>")
        body.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                    'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
               '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:'
               'names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:'
               'opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               + "".join(body) + "</office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return out.getvalue()
