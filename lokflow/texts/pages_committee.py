"""Words of the coordinator's page for the committee's document
(`/samordnare/planer/<plan>/arsrapport`), in Swedish and English."""

from __future__ import annotations

SV = {
    "nav_committee": "Nämndens underlag",
    "cm_title": "Årsrapport {year}: {plan}",
    "cm_intro": ("Det du skriver här kommer med i årsrapporten för {year} nästa gång den "
                 "sammanställs (den schemalagda körningen på uppföljningsdagen eller "
                 "lokflow annual-report)."),
    "cm_year": "År",
    "cm_show": "Visa",
    "cm_notes_title": "Till nämnden",
    "cm_case_number": "Diarienummer",
    "cm_case_number_hint": "Frivilligt. En rad, till exempel KS 2024/123.",
    "cm_proposed_decision": "Förslag till beslut",
    "cm_proposed_decision_hint": "Frivilligt. Till exempel: Nämnden godkänner uppföljningen.",
    "cm_summary": "Samordnarens sammanfattning",
    "cm_summary_hint": "Frivilligt. Högst 2000 tecken; en tom rad börjar ett nytt stycke.",
    "cm_highlights": "Höjdpunkter under året",
    "cm_highlights_hint": "Frivilligt. En höjdpunkt per rad.",
    "cm_save": "Spara",
    "cm_saved": "Sparat. Det kommer med i nästa sammanställning av årsrapporten.",
    "cm_last_saved": "Senast sparat {at} av {name}.",
    "cm_assessments_title": "Parternas egna bedömningar",
    "cm_assessment_given": "lämnad {at} av {name}",
    "cm_assessment_missing": "ingen bedömning ännu",
    "cm_no_assessors": ("Planen anger inga bedömare. Lägg till follow_up.assessors i planfilen "
                        "så får de en personlig länk när rapporteringsomgången öppnar."),
    "cm_reports_title": "Sammanställda årsrapporter och den öppna sidan",
    "cm_reports_none": "Ingen årsrapport för {year} är sammanställd ännu.",
    "cm_report_row": "Nr {id}, sammanställd {at} ({language})",
    "cm_published": "Publicerad på den öppna sidan",
    "cm_publish": "Publicera på den öppna sidan",
    "cm_withdraw": "Ta bort från den öppna sidan",
    "cm_public_page": "Planens öppna sida",
    "cm_not_public": ("Planen har ingen öppen sida. Sätt public: true i planfilen för att "
                      "publicera den."),
    "cm_publish_note": ("Den publicerade PDF:en är nämndens dokument som det är: den nämner "
                        "samordnare och rapportörer vid namn."),
    "err_case_number_invalid": "Diarienumret ska vara en rad på högst 100 tecken.",
}

EN = {
    "nav_committee": "For the committee",
    "cm_title": "Annual report {year}: {plan}",
    "cm_intro": ("What you write here goes into the annual report for {year} the next time "
                 "it is compiled (the scheduled run on the follow-up day, or lokflow "
                 "annual-report)."),
    "cm_year": "Year",
    "cm_show": "Show",
    "cm_notes_title": "For the committee",
    "cm_case_number": "Case number",
    "cm_case_number_hint": "Optional. One line, for example KS 2024/123.",
    "cm_proposed_decision": "Proposed decision",
    "cm_proposed_decision_hint": "Optional. For example: The committee approves the follow-up.",
    "cm_summary": "The coordinator's summary",
    "cm_summary_hint": "Optional. At most 2000 characters; an empty line starts a paragraph.",
    "cm_highlights": "Highlights of the year",
    "cm_highlights_hint": "Optional. One highlight per line.",
    "cm_save": "Save",
    "cm_saved": "Saved. It goes into the next compilation of the annual report.",
    "cm_last_saved": "Last saved {at} by {name}.",
    "cm_assessments_title": "The parties' own assessments",
    "cm_assessment_given": "given {at} by {name}",
    "cm_assessment_missing": "no assessment yet",
    "cm_no_assessors": ("The plan names no assessors. Add follow_up.assessors to the plan file "
                        "and they get a personal link when the reporting round opens."),
    "cm_reports_title": "Compiled annual reports and the public page",
    "cm_reports_none": "No annual report for {year} has been compiled yet.",
    "cm_report_row": "No. {id}, compiled {at} ({language})",
    "cm_published": "Published on the public page",
    "cm_publish": "Publish on the public page",
    "cm_withdraw": "Remove from the public page",
    "cm_public_page": "The plan's public page",
    "cm_not_public": ("The plan has no public page. Set public: true in the plan file to "
                      "publish it."),
    "cm_publish_note": ("The published PDF is the committee's document as it is: it names "
                        "coordinators and reporters."),
    "err_case_number_invalid": "The case number must be one line of at most 100 characters.",
}
