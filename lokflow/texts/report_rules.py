"""What a person is told when a status report breaks a rule, in Swedish and
English, keyed by the rule's code. The form, the API and the CLI all show
these texts, so one rule reads the same wherever it was broken."""

from __future__ import annotations

TEXT_LIMIT = 2000  # characters in a comment, obstacles or reason (the rule and its words)

MESSAGES: dict[str, dict[str, str]] = {
    "status_required": {"sv": "Välj en status.", "en": "Choose a status."},
    "status_invalid": {
        "sv": ("Välj en av statusarna: not_started (ej påbörjad), in_progress (pågår), "
               "done (klar), delayed (försenad), paused (pausad), cancelled (inställd)."),
        "en": ("Choose one of the statuses: not_started, in_progress, done, delayed, "
               "paused, cancelled.")},
    "progress_invalid": {
        "sv": "Ange hur långt ni kommit som ett heltal från 0 till 100.",
        "en": "Enter how far you have come as a whole number from 0 to 100."},
    "text_type": {"sv": "Värdet måste vara text.", "en": "The value must be text."},
    "text_too_long": {"sv": "Texten är för lång: högst {limit} tecken.",
                      "en": "The text is too long: at most {limit} characters."},
    "text_characters": {
        "sv": "Texten innehåller otillåtna tecken (till exempel kontrolltecken).",
        "en": "The text contains characters that are not allowed (such as control "
              "characters)."},
    "date_invalid": {"sv": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-31.",
                     "en": "Write the date as YYYY-MM-DD, for example 2025-03-31."},
    "date_range": {"sv": "Datumet måste vara i dag eller senare, och högst tio år fram.",
                   "en": "The date must be today or later, and at most ten years ahead."},
    "reason_required": {"sv": "Skriv ett skäl till det nya datumet.",
                        "en": "Give a reason for the new date."},
    "date_required": {"sv": "Ange det nya datumet, eller ta bort skälet.",
                      "en": "Enter the new date, or remove the reason."},
    "name_required": {"sv": "Ange vem som rapporterar.", "en": "Say who is reporting."},
    "email_invalid": {"sv": "E-postadressen är inte giltig.",
                      "en": "The email address is not valid."},
    "occurrence_unknown": {
        "sv": ("Aktiviteten har inget sådant tillfälle. Ange 'deadline', ett år eller "
               "checkin-ÅÅÅÅ-MM-DD ur aktivitetens tidplan, eller utelämna det."),
        "en": ("The activity has no such occurrence. Give 'deadline', a year or "
               "checkin-YYYY-MM-DD from the activity's timeline, or leave it out.")},
    "submission_key_invalid": {
        "sv": "Inskickningsnyckeln ska vara 8–64 tecken av A–Z, a–z, 0–9 och _ . : -",
        "en": "The submission key must be 8–64 characters of A–Z, a–z, 0–9 and _ . : -"},
    "unknown_field": {"sv": "Okänt fält.", "en": "Unknown field."},
    "invalid_value": {"sv": "Värdet är inte giltigt (för långt eller av fel slag).",
                      "en": "The value is not valid (too long or of the wrong kind)."},
    "json_invalid": {"sv": "Innehållet är inte giltig JSON i UTF-8.",
                     "en": "The body is not valid JSON in UTF-8."},
    "json_not_object": {"sv": "Innehållet ska vara ett JSON-objekt.",
                        "en": "The body must be a JSON object."},
    "already_accepted": {"sv": "Förslaget är redan godkänt.",
                         "en": "This proposal was already accepted."},
    "already_rejected": {"sv": "Förslaget är redan avslaget.",
                         "en": "This proposal was already rejected."},
    "date_not_offered": {
        "sv": ("Ett nytt datum kan bara föreslås för en tidpunkt med sista dag, inte för "
               "löpande arbete eller aktiviteter vid behov."),
        "en": ("A new date can only be proposed for an occurrence with a deadline, not for "
               "ongoing work or on-demand activities.")},
}


def page_texts(language: str) -> dict[str, str]:
    """The messages as the pages' `err_<code>` words."""
    return {f"err_{code}": message(code, language, TEXT_LIMIT) for code in MESSAGES}


def message(code: str, language: str, limit: int | None = None) -> str:
    """The text of one rule in `language` (Swedish unless 'en')."""
    texts = MESSAGES[code]
    return texts.get(language, texts["sv"]).format(limit=limit)
