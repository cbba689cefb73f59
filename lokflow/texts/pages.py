"""Words of the web pages in Swedish (default) and English: the common words
here, each group of pages in its own `pages_*` module, merged into one
`PAGE_TEXTS` (a key may be defined only once)."""

from __future__ import annotations

from lokflow.texts import (
    pages_annual_reports,
    pages_assessments,
    pages_committee,
    pages_coordinator,
    pages_coordinator_actions,
    pages_coordinator_tables,
    pages_feed_link,
    pages_meetings,
    pages_owner,
    pages_plan_editor,
    pages_public,
    report_rules,
)

COMMON: dict[str, dict[str, str]] = {
    "sv": {
        "site": "lokflow – lokal överenskommelse",
        "skip": "Hoppa till innehållet",
        "language_switch": "In English",
        "language_nav": "Språk",
        "error_title": "Något gick fel",
        "error_not_found": "Sidan finns inte, eller länken är inte längre giltig.",
        "error_forbidden": ("Du har inte behörighet till den här sidan. "
                            "Länken kan ha gått ut eller återkallats."),
        "error_login_required": "Du behöver logga in.",
        "error_invalid": "Uppgifterna kunde inte tas emot. Kontrollera formuläret och försök igen.",
        "error_other": "Försök igen senare eller kontakta samordnaren.",
        "occurrence_deadline": "sista dag",
        "occurrence_year": "året {year}",
        "occurrence_checkin": "avstämning {day}",
        "error_status": "Felkod {status}",
        "error_bad_request": "Förfrågan kunde inte tolkas. Kontrollera adressen och försök igen.",
        "error_method_not_allowed": "Sidan kan inte användas på det sättet.",
        "error_conflict": ("Det här har redan beslutats eller ändrats av någon annan. "
                           "Ladda om sidan och se hur det ser ut nu."),
        "error_too_large": ("Det du skickade är för stort för att tas emot. Korta texterna "
                            "och försök igen."),
        "error_too_many": "För många försök. Vänta en stund och försök igen.",
        "error_server_error": ("Ett oväntat fel uppstod hos oss. Försök igen senare eller "
                               "kontakta samordnaren."),
        "api_error_login_required": ("En giltig API-nyckel krävs: "
                                     "Authorization: Bearer <nyckel>."),
        "api_error_not_found": "Finns inte, eller syns inte för den här API-nyckeln.",
        "api_error_invalid": "Uppgifterna följer inte reglerna; se errors.",
    },
    "en": {
        "site": "lokflow – local agreement",
        "skip": "Skip to content",
        "language_switch": "På svenska",
        "language_nav": "Language",
        "error_title": "Something went wrong",
        "error_not_found": "The page does not exist, or the link is no longer valid.",
        "error_forbidden": ("You do not have access to this page. "
                            "The link may have expired or been revoked."),
        "error_login_required": "You need to log in.",
        "error_invalid": "The details could not be accepted. Check the form and try again.",
        "error_other": "Try again later or contact the coordinator.",
        "occurrence_deadline": "the deadline",
        "occurrence_year": "the year {year}",
        "occurrence_checkin": "check-in {day}",
        "error_status": "Error code {status}",
        "error_bad_request": "The request could not be understood. Check the address and "
                             "try again.",
        "error_method_not_allowed": "The page cannot be used that way.",
        "error_conflict": ("This has already been decided or changed by someone else. "
                           "Reload the page to see how it stands now."),
        "error_too_large": "What you sent is too large to accept. Shorten the texts and "
                           "try again.",
        "error_too_many": "Too many attempts. Wait a while and try again.",
        "error_server_error": ("An unexpected error occurred on our side. Try again later or "
                               "contact the coordinator."),
        "api_error_login_required": "A valid API key is required: Authorization: Bearer <key>.",
        "api_error_not_found": "Does not exist, or is not visible to this API key.",
        "api_error_invalid": "The details break the rules; see errors.",
    },
}


def _merged() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"sv": {}, "en": {}}
    for sv, en in ((COMMON["sv"], COMMON["en"]), (pages_owner.SV, pages_owner.EN),
                   (pages_coordinator.SV, pages_coordinator.EN),
                   (pages_annual_reports.SV, pages_annual_reports.EN),
                   (pages_feed_link.SV, pages_feed_link.EN),
                   (pages_plan_editor.SV, pages_plan_editor.EN),
                   (report_rules.page_texts("sv"), report_rules.page_texts("en")),
                   (pages_coordinator_tables.SV, pages_coordinator_tables.EN),
                   (pages_coordinator_actions.SV, pages_coordinator_actions.EN),
                   # issue 17: the assessment page, the committee's page, the public page
                   (pages_assessments.SV, pages_assessments.EN),
                   (pages_committee.SV, pages_committee.EN),
                   (pages_public.SV, pages_public.EN),
                   # issue 17, part two: dialogue meetings
                   (pages_meetings.SV, pages_meetings.EN)):
        for language, words in (("sv", sv), ("en", en)):
            twice = set(words) & set(merged[language])
            if twice:
                raise ValueError(f"page texts defined twice: {sorted(twice)}")
            merged[language].update(words)
    return merged


PAGE_TEXTS = _merged()
