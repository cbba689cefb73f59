"""Words of the web pages in Swedish (default) and English. Each page module
may add its own keys; keep both languages in step (a test checks)."""

from __future__ import annotations

WEB_TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "site": "lokflow – lokal överenskommelse",
        "skip": "Hoppa till innehållet",
        "language_switch": "In English",
        "error_title": "Något gick fel",
        "error_not_found": "Sidan finns inte, eller länken är inte längre giltig.",
        "error_forbidden": ("Du har inte behörighet till den här sidan. "
                            "Länken kan ha gått ut eller återkallats."),
        "error_login_required": "Du behöver logga in.",
        "error_invalid": "Uppgifterna kunde inte tas emot. Kontrollera formuläret och försök igen.",
        "error_other": "Försök igen senare eller kontakta samordnaren.",
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
        "error_title": "Something went wrong",
        "error_not_found": "The page does not exist, or the link is no longer valid.",
        "error_forbidden": ("You do not have access to this page. "
                            "The link may have expired or been revoked."),
        "error_login_required": "You need to log in.",
        "error_invalid": "The details could not be accepted. Check the form and try again.",
        "error_other": "Try again later or contact the coordinator.",
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


def add_texts(sv: dict[str, str], en: dict[str, str]) -> None:
    """Page modules add their own words here, in both languages."""
    missing = set(sv) ^ set(en)
    if missing:
        raise ValueError(f"texts missing in one language: {sorted(missing)}")
    WEB_TEXTS["sv"].update(sv)
    WEB_TEXTS["en"].update(en)
