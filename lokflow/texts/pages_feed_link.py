"""Words of the page a personal feed's events link to, in Swedish and English."""

from __future__ import annotations

SV = {
    "feed_link_title": "Rapportera status",
    "feed_link_intro": ("Kalenderlänken öppnar inte rapportformuläret, eftersom den inte "
                        "går ut och kan ha delats med andra. Vi skickar i stället en ny "
                        "personlig rapportlänk till din e-postadress."),
    "feed_link_button": "Skicka en ny rapportlänk till min e-post",
    "feed_link_sent": ("Tack! Om adressen finns hos oss kommer en ny rapportlänk med "
                       "e-post inom några minuter. Vi skickar högst en länk i timmen."),
    "feed_link_expired": "Formuläret hade gått ut. Tryck på knappen igen.",
}
EN = {
    "feed_link_title": "Report status",
    "feed_link_intro": ("The calendar link does not open the report form, because it never "
                        "expires and may have been shared. Instead we send a new personal "
                        "report link to your email address."),
    "feed_link_button": "Email me a new report link",
    "feed_link_sent": ("Thank you! If we have the address, a new report link arrives by "
                       "email within a few minutes. We send at most one link an hour."),
    "feed_link_expired": "The form had expired. Press the button again.",
}
