"""Workbooks and documents made to hurt an importer, and a plain 1,000-row
activity workbook: the attack tests and `lokflow bench --only import` use
them. Each hostile file is small or quick to make; what it unpacks to or
claims is what is large."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

MIB = 1 << 20
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/></Types>')
_SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def activity_workbook(rows: int, owners: list[str]) -> bytes:
    """A coordinator's sheet: Nr | Aktivitet | Ansvarig | Tidsplan | Kommentar."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Kommunens åtaganden"
    sheet.append(["Nr", "Aktivitet", "Ansvarig", "Tidsplan", "Kommentar"])
    for n in range(rows):
        commitment, activity = divmod(n, 10)
        if activity == 0:
            sheet.append([f"{commitment + 1}.", f"Kommunen åtar sig område {commitment + 1}."])
        sheet.append([f"{commitment + 1}.{activity + 1}",
                      f"Aktivitet {n + 1}: en beskrivning av vad som ska göras under året",
                      owners[n % len(owners)], ("Löpande", "2025", "2024-2026")[n % 3],
                      "Följs upp årligen"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx(sheets: dict[str, bytes], extra: dict[str, bytes] | None = None,
          stored: bool = False) -> bytes:
    names = list(sheets)
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {_SHEET_NS} xmlns:r="http://'
                'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>'
                          for i in range(1, len(names) + 1)) + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                      f'officeDocument/2006/relationships/worksheet" Target="worksheets/{n}"/>'
                      for i, n in enumerate(names, 1)) + "</Relationships>")
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for name, body in sheets.items():
            archive.writestr(f"xl/worksheets/{name}", body, compress_type=zipfile.ZIP_DEFLATED)
        for name, body in (extra or {}).items():
            archive.writestr(name, body, compress_type=method)
    return out.getvalue()


def _sheet(cells: str, dimension: str = "A1") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_SHEET_NS}><dimension '
            f'ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>').encode()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def ten_megabytes() -> bytes:
    """A real workbook carrying 10 MB of incompressible media."""
    sheet = _sheet(f'<row r="1">{_cell("A1", "Aktivitet")}</row>')
    return _xlsx({"sheet1.xml": sheet}, {"xl/media/image1.png": os.urandom(10 * MIB)},
                 stored=True)


def huge_dimensions() -> bytes:
    """Two cells, at A1 and XFD1048576: a dense reader allocates 17 billion cells."""
    cells = (f'<row r="1">{_cell("A1", "Aktivitet")}</row>'
             f'<row r="1048576">{_cell("XFD1048576", "x")}</row>')
    return _xlsx({"sheet1.xml": _sheet(cells, "A1:XFD1048576")})


def many_sheets(count: int = 300) -> bytes:
    sheet = _sheet(f'<row r="1">{_cell("A1", "Aktivitet")}</row>')
    return _xlsx({f"sheet{i}.xml": sheet for i in range(1, count + 1)})


def zip_bomb(unpacked: int = 400 * MIB) -> bytes:
    """One sheet whose XML is hundreds of megabytes of blanks (a ~0.4 MB file)."""
    compressor = __import__("zlib").compressobj(9, 8, -15)
    chunk = b" " * MIB
    head = _sheet("<row r=\"1\"></row>")
    body = bytearray(compressor.compress(head[:-len(b"</sheetData></worksheet>")]))
    for _ in range(unpacked // MIB):
        body += compressor.compress(chunk)
    body += compressor.compress(b"</sheetData></worksheet>") + compressor.flush()
    return _raw_deflate_entry("xl/worksheets/sheet1.xml", bytes(body),
                              len(head) + unpacked, base=_xlsx({}))


def _raw_deflate_entry(name: str, deflated: bytes, size: int, base: bytes) -> bytes:
    """`base` with one more entry written from already deflated bytes (CRC left 0:
    the guard must stop before any reader would check it)."""
    import struct

    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info.filename))
    data = bytearray(out.getvalue())
    end = data.rfind(b"PK\x05\x06")
    directory_at = struct.unpack("<I", data[end + 16:end + 20])[0]
    directory = bytes(data[directory_at:end])
    count = struct.unpack("<H", data[end + 10:end + 12])[0]
    encoded = name.encode()
    local_at = directory_at
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(deflated), size,
                        len(encoded), 0) + encoded
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, 0,
                          len(deflated), size, len(encoded), 0, 0, 0, 0, 0, local_at) + encoded
    head = bytes(data[:directory_at]) + local + deflated
    new_directory = directory + central
    tail = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count + 1, count + 1, len(new_directory),
                       len(head), 0)
    return head + new_directory + tail


def entity_bomb() -> bytes:
    """'Billion laughs' in a sheet's XML."""
    lol = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;'
           '&lol;&lol;&lol;&lol;">' + "".join(
               f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(3, 10))
           + "]>")
    body = (f'<?xml version="1.0"?>{lol}<worksheet {_SHEET_NS}><sheetData><row r="1">'
            f'{_cell("A1", "&lol9;")}</row></sheetData></worksheet>').encode()
    return _xlsx({"sheet1.xml": body})


def ods_repeated_rows(rows: int = 1_000_000) -> bytes:
    """An ODS sheet with one non-empty row of three cells repeated a million times."""
    cell = ('<table:table-cell office:value-type="string"><text:p>x</text:p>'
            '</table:table-cell>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
               '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:'
               'names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:'
               'opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="Blad1"><table:table-row>'
               '<table:table-cell office:value-type="string"><text:p>Aktivitet</text:p>'
               '</table:table-cell></table:table-row>'
               f'<table:table-row table:number-rows-repeated="{rows}">{cell * 3}'
               '</table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    return out.getvalue()


_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
             'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
             'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
             '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def docx_entity_bomb() -> bytes:
    body = entity_bomb()
    source = zipfile.ZipFile(io.BytesIO(body))
    xml = source.read("xl/worksheets/sheet1.xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    # name: (file suffix, maker)
    "ten_megabytes": (".xlsx", ten_megabytes),
    "huge_dimensions": (".xlsx", huge_dimensions),
    "many_sheets": (".xlsx", many_sheets),
    "zip_bomb": (".xlsx", zip_bomb),
    "entity_bomb": (".xlsx", entity_bomb),
    "ods_repeated_rows": (".ods", ods_repeated_rows),
    "docx_entity_bomb": (".docx", docx_entity_bomb),
    "not_a_zip": (".xlsx", lambda: b"PK\x03\x04" + os.urandom(4096)),
}
