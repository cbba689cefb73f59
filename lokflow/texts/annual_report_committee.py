"""The words of the committee's part of the annual report (issue 17): the
coordinator's notes, the case number and both parties' assessments. Merged
into `annual_report.REPORT_TEXTS`."""

from __future__ import annotations

SV: dict[str, str] = {
    "case_number": "Diarienummer",
    "s_decision": "Förslag till beslut",
    "s_coordinator_summary": "Samordnarens sammanfattning",
    "highlights": "Höjdpunkter under året",
    "s_assessments": "Parternas egna bedömningar",
    "assessments_note": ("Kommunen och civilsamhället bedömer var för sig, med egna ord, hur "
                         "överenskommelsen och varje princip har fungerat under {year}. "
                         "Bedömningarna visas sida vid sida och vägs inte samman."),
    "scale_note": ("Skala: 1 fungerar inte, 2 fungerar delvis, 3 fungerar till stor del, "
                   "4 fungerar väl."),
    "assessment_target": "Bedöms",
    "assessment_municipality": "Kommunens bedömning",
    "assessment_civil_society": "Civilsamhällets bedömning",
    "assessment_none": "ingen bedömning",
    "assessment_given": "{party}: lämnad {day} av {name}.",
    "assessment_missing": "{party}: ingen bedömning lämnad för {year}.",
    "assessments_none": "Ingen av parterna har lämnat en egen bedömning för {year}.",
    "xlsx_label": "Id",
    "xlsx_joint": "Gemensam aktivitet",
}

EN: dict[str, str] = {
    "case_number": "Case number",
    "s_decision": "Proposed decision",
    "s_coordinator_summary": "The coordinator's summary",
    "highlights": "Highlights of the year",
    "s_assessments": "The parties' own assessments",
    "assessments_note": ("The municipality and civil society each assess, in their own words, "
                         "how the agreement and each principle worked in {year}. The "
                         "assessments are shown side by side and never merged."),
    "scale_note": ("Scale: 1 not working, 2 partly working, 3 largely working, "
                   "4 working well."),
    "assessment_target": "Assessed",
    "assessment_municipality": "The municipality's assessment",
    "assessment_civil_society": "Civil society's assessment",
    "assessment_none": "no assessment",
    "assessment_given": "{party}: given on {day} by {name}.",
    "assessment_missing": "{party}: no assessment given for {year}.",
    "assessments_none": "Neither party has given its own assessment for {year}.",
    "xlsx_label": "Id",
    "xlsx_joint": "Joint activity",
}
