"""The words of calendar feeds, in Swedish (default) and English."""

from __future__ import annotations

from datetime import date

from lokflow.texts import known_language
from lokflow.texts.vocabulary import STATUS_LABELS

WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "municipality": "Kommunen",
        "civil_society": "Civilsamhället",
        "joint": "Gemensamt",
        "commitment": "Åtagande",
        "owners": "Ansvariga",
        "executor": "Utförare",
        "partners": "Samarbetspartner",
        "timeline": "Tidplan",
        "window": "Genomförs",
        "status": "Status",
        "no_status": "ingen status rapporterad",
        "reported": "rapporterad",
        "moved": "Nytt datum, ursprungligen",
        "report": "Rapportera status",
        "checkin": "Avstämning",
        "annual": "Årlig uppföljning",
        "round": "Rapporteringsomgång: sista dag för status",
        "round_opens": "Omgången öppnar {weeks} veckor före sista dagen.",
        "dialogue": "Dialogträff",
        "evaluation": "Utvärdering",
        "renegotiation": "Omförhandling",
        "follow_up": "Uppföljning",
        "plan_desc": "Aktiviteter och uppföljning i {title}.",
        "owner_name": "{plan} – {unit}",
        "owner_desc": "Aktiviteter som {unit} ansvarar för i {title}.",
        "contact_name": "{organisation}: mina LÖK-aktiviteter",
        "contact_desc": "Aktiviteter där {name} är kontaktperson, med länk för att rapportera.",
        "organisation_name": "{organisation}: LÖK",
        "organisation_desc": ("Alla handlingsplaner för den lokala överenskommelsen i "
                              "{organisation}."),
        "refresh": "Uppdateras av lokflow var {hours}:e timme.",
        "overdue_mark": "Försenad",
        "overdue": "Försenad sedan {due}, ingen rapport om att den är klar.",
        "overdue_level": " Påminnelser skickade till och med nivå {level}.",
    },
    "en": {
        "municipality": "Municipality",
        "civil_society": "Civil society",
        "joint": "Joint",
        "commitment": "Commitment",
        "owners": "Responsible",
        "executor": "Carried out by",
        "partners": "Partners",
        "timeline": "Timeline",
        "window": "Carried out",
        "status": "Status",
        "no_status": "no status reported",
        "reported": "reported",
        "moved": "New date, originally",
        "report": "Report status",
        "checkin": "Check-in",
        "annual": "Annual follow-up",
        "round": "Reporting round: last day for status",
        "round_opens": "The round opens {weeks} weeks before its last day.",
        "dialogue": "Dialogue meeting",
        "evaluation": "Evaluation",
        "renegotiation": "Renegotiation",
        "follow_up": "Follow-up",
        "plan_desc": "Activities and follow-up of {title}.",
        "owner_name": "{plan} – {unit}",
        "owner_desc": "Activities {unit} is responsible for in {title}.",
        "contact_name": "{organisation}: my LÖK activities",
        "contact_desc": "Activities where {name} is a contact, with a link to report.",
        "organisation_name": "{organisation}: LÖK",
        "organisation_desc": "Every action plan of the local agreement in {organisation}.",
        "refresh": "Updated by lokflow every {hours} hours.",
        "overdue_mark": "Overdue",
        "overdue": "Overdue since {due}, no report that it is done.",
        "overdue_level": " Notices sent up to level {level}.",
    },
}

HELP: dict[str, str] = {  # for pages that show a feed link (the owner's report page)
    "sv": ("Outlook: Lägg till kalender > Prenumerera från webben, klistra in https-länken. "
           "Google: öppna Google-länken, eller Andra kalendrar > Från webbadress. "
           "Apple: klicka på webcal-länken, eller Arkiv > Ny kalenderprenumeration."),
    "en": ("Outlook: Add calendar > Subscribe from web, paste the https link. "
           "Google: open the Google link, or Other calendars > From URL. "
           "Apple: click the webcal link, or File > New Calendar Subscription."),
}


def words(language: str) -> dict[str, str]:
    return WORDS[known_language(language)]


def status_label(status: str, language: str) -> str:
    return STATUS_LABELS[known_language(language)][status]


def short(text: str, limit: int = 90) -> str:
    """One line of at most `limit` characters, for a SUMMARY."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def iso(day: date) -> str:
    return day.isoformat()
