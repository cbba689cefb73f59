"""Words of a party's own assessment page (`/bedomning/<token>`), in Swedish
and English. The free text's rule messages (`err_text_*`) are the report
rules' (texts.report_rules)."""

from __future__ import annotations

SV = {
    "as_title": "{party}s egen bedömning {year}",
    "as_party_municipality": "Kommunen",
    "as_party_civil_society": "Civilsamhället",
    "as_intro": ("Hej {name}! Här skriver ni {party_lower}s egen bedömning av hur "
                 "överenskommelsen och dess principer har fungerat under {year}."),
    "as_independent": ("Den andra parten skriver sin egen bedömning. Båda visas sida vid sida "
                       "i årsrapporten och vägs aldrig samman."),
    "as_follow_ups": "Åtaganden som följs upp i den här bedömningen (inte med statusrapporter):",
    "as_discuss": "Ta upp på dialogmötet",
    "as_how": ("Välj ett steg på skalan och skriv gärna med egna ord. Det ni lämnar tomt "
               "räknas som ingen bedömning. Ni kan ändra fram till den årliga uppföljningen; "
               "det senast sparade gäller."),
    "as_link_note": "Länken är personlig och gäller bara er parts bedömning.",
    "as_overall": "Överenskommelsen som helhet",
    "as_scale_legend": "Hur fungerar det?",
    "as_scale_none": "Ingen bedömning",
    "as_text_label": "Er bedömning med egna ord",
    "as_text_hint": "Frivilligt. Högst 2000 tecken.",
    "as_submit": "Spara bedömningen",
    "as_saved": "Bedömningen är sparad. Så här ser den ut nu.",
    "as_saved_none": "Inget var ändrat, så inget nytt sparades.",
    "as_last_saved": "Senast sparad {at} av {name}.",
    "err_scale_invalid": "Välj ett av stegen på skalan, eller ingen bedömning.",
}

EN = {
    "as_title": "{party}'s own assessment {year}",
    "as_party_municipality": "The municipality",
    "as_party_civil_society": "Civil society",
    "as_intro": ("Hello {name}! Here you write {party_lower}'s own assessment of how the "
                 "agreement and its principles worked in {year}."),
    "as_independent": ("The other party writes its own assessment. Both are shown side by "
                       "side in the annual report and never merged."),
    "as_follow_ups": "Commitments followed up in this assessment (not by status reports):",
    "as_discuss": "Take up at the dialogue meeting",
    "as_how": ("Choose a step of the scale and, if you like, write in your own words. What "
               "you leave empty counts as no assessment. You can change it until the annual "
               "follow-up; the latest save counts."),
    "as_link_note": "The link is personal and opens your party's assessment only.",
    "as_overall": "The agreement as a whole",
    "as_scale_legend": "How is it working?",
    "as_scale_none": "No assessment",
    "as_text_label": "Your assessment in your own words",
    "as_text_hint": "Optional. At most 2000 characters.",
    "as_submit": "Save the assessment",
    "as_saved": "The assessment is saved. This is how it reads now.",
    "as_saved_none": "Nothing had changed, so nothing new was saved.",
    "as_last_saved": "Last saved {at} by {name}.",
    "err_scale_invalid": "Choose one of the steps of the scale, or no assessment.",
}
