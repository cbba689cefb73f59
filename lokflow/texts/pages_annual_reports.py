"""Words of the annual-report pages, in Swedish and English."""

from __future__ import annotations

SV = {
    "ar_title": "Årsrapporter",
    "ar_intro": ("Sammanställda årliga uppföljningar. Varje rapport är sparad med sitt "
                 "underlag och ser likadan ut varje gång den hämtas."),
    "ar_none": "Inga årsrapporter är sammanställda ännu.",
    "ar_col_id": "Nr",
    "ar_col_plan": "Plan",
    "ar_col_year": "År",
    "ar_col_as_of": "Uppgifter per",
    "ar_col_compiled": "Sammanställd",
    "ar_col_download": "Hämta",
    "ar_lang_sv": "svenska",
    "ar_lang_en": "engelska",
}
EN = {
    "ar_title": "Annual reports",
    "ar_intro": ("Compiled annual follow-ups. Each report is stored with its data and "
                 "looks the same every time it is downloaded."),
    "ar_none": "No annual reports have been compiled yet.",
    "ar_col_id": "No.",
    "ar_col_plan": "Plan",
    "ar_col_year": "Year",
    "ar_col_as_of": "Data as of",
    "ar_col_compiled": "Compiled",
    "ar_col_download": "Download",
    "ar_lang_sv": "Swedish",
    "ar_lang_en": "English",
}
