"""Why a file is not read at all (too big, a bomb, damaged), in Swedish and
English: said the same in the web editor and by `lokflow import`."""

from __future__ import annotations

REFUSALS = {
    "sv": {
        "too_big": "Filen är {size} MB; en fil att importera får vara högst {limit} MB.",
        "not_zip": "Filen är ingen Excel-, OpenDocument- eller Word-fil (den går inte att "
                   "packa upp).",
        "too_many_parts": "Filen består av för många delar ({count}) för att vara en vanlig "
                          "arbetsbok eller ett dokument.",
        "bomb": "Filen packas upp till orimligt mycket data och läses inte (en så kallad "
                "zip-bomb eller en skadad fil).",
        "damaged": "Filen är skadad eller har ett format som inte går att läsa.",
        "not_workbook": "Filen innehåller ingen arbetsbok med blad.",
        "not_document": "Filen innehåller inget Word-dokument.",
        "too_many_sheets": "Arbetsboken har för många blad ({count}); högst {limit} går att "
                           "importera.",
        "too_large_sheet": "Ett blad är för stort: högst {rows} rader och {columns} kolumner "
                           "går att importera.",
        "unknown_kind": "Filtypen känns inte igen ({name}). Importera .xlsx, .ods, .csv, "
                        ".docx eller .yaml.",
    },
    "en": {
        "too_big": "The file is {size} MB; a file to import may be at most {limit} MB.",
        "not_zip": "The file is not an Excel, OpenDocument or Word file (it cannot be "
                   "unpacked).",
        "too_many_parts": "The file has too many parts ({count}) to be an ordinary workbook "
                          "or document.",
        "bomb": "The file unpacks to an unreasonable amount of data and is not read (a zip "
                "bomb or a damaged file).",
        "damaged": "The file is damaged or in a format that cannot be read.",
        "not_workbook": "The file holds no workbook with sheets.",
        "not_document": "The file holds no Word document.",
        "too_many_sheets": "The workbook has too many sheets ({count}); at most {limit} can "
                           "be imported.",
        "too_large_sheet": "A sheet is too large: at most {rows} rows and {columns} columns "
                           "can be imported.",
        "unknown_kind": "The kind of file is not known ({name}). Import .xlsx, .ods, .csv, "
                        ".docx or .yaml.",
    },
}
