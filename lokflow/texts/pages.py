"""Words of the web pages in Swedish (default) and English: the common words
here, each group of pages in its own `pages_*` module, merged into one
`PAGE_TEXTS` (a key may be defined only once)."""

from __future__ import annotations

from lokflow.texts import pages_annual_reports, pages_coordinator, pages_owner

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
    },
}


def _merged() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"sv": {}, "en": {}}
    for sv, en in ((COMMON["sv"], COMMON["en"]), (pages_owner.SV, pages_owner.EN),
                   (pages_coordinator.SV, pages_coordinator.EN),
                   (pages_annual_reports.SV, pages_annual_reports.EN)):
        for language, words in (("sv", sv), ("en", en)):
            twice = set(words) & set(merged[language])
            if twice:
                raise ValueError(f"page texts defined twice: {sorted(twice)}")
            merged[language].update(words)
    return merged


PAGE_TEXTS = _merged()
