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
    },
}


def add_texts(sv: dict[str, str], en: dict[str, str]) -> None:
    """Page modules add their own words here, in both languages."""
    missing = set(sv) ^ set(en)
    if missing:
        raise ValueError(f"texts missing in one language: {sorted(missing)}")
    WEB_TEXTS["sv"].update(sv)
    WEB_TEXTS["en"].update(en)
