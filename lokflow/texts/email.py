"""The words of emails, in Swedish (default) and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "greeting": "Hej {name}!",
        "intro": "Här är det som är aktuellt i dag för aktiviteter där du är kontaktperson.",
        "reminder_d": "Påminnelse: {days} dagar kvar till {due}",
        "reminder_w": "Påminnelse: {due} är sista dag",
        "checkin": "Dags att rapportera läget",
        "escalation_1": "Försenad: tidpunkten {due} har passerat",
        "escalation_n": "Eskalering (nivå {level}): aktiviteten är försenad sedan {due}",
        "round_request": "Rapporteringsomgång: lämna status senast {due}",
        "round_reminder": "Påminnelse i rapporteringsomgången: status saknas, senast {due}",
        "round_escalation": "Rapporteringsomgången har stängt: status saknas",
        "delivery_failed": "Ett meddelande kunde inte levereras",
        "annual_report": "Årlig uppföljning {year}",
        "report_link": "Du bad om en ny länk för att rapportera status",
        "activity": "Aktivitet",
        "commitment": "Åtagande",
        "deadline": "Tidpunkt",
        "timeline": "Tidplan",
        "owners": "Ansvariga",
        "partners": "Samarbetspartner",
        "missing": "Status saknas från",
        "report": "Rapportera status för alla dina aktiviteter",
        "report_help": "Länken är personlig och gäller i {days} dagar.",
        "calendar": "Prenumerera på dina aktiviteter i kalendern",
        "calendar_help": ("Outlook: Lägg till kalender > Från Internet, klistra in länken. "
                          "Google: Andra kalendrar > Från webbadress. Apple: Arkiv > "
                          "Ny kalenderprenumeration."),
        "footer": ("Du får detta meddelande från lokflow eftersom du är kontaktperson i "
                   "handlingsplanen för den lokala överenskommelsen. Kontakta samordnaren "
                   "om uppgifterna är fel."),
        "subject_reminder": "Påminnelse om {n} aktivitet(er)",
        "subject_escalation": "Försenade aktiviteter ({n})",
        "subject_round": "Rapporteringsomgång: lämna status",
        "subject_failed": "Leveransfel i lokflow",
        "subject_annual": "Årlig uppföljning {year}",
        "subject_report_link": "Din nya rapportlänk",
        "failed_detail": "Meddelandet till {email} avvisades: {error}",
        "ics_summary": "{activity} {plan}: {text}",
        # issue 17: each party's own assessment of the annual follow-up
        "assessment_request": "Årlig uppföljning: skriv er parts egen bedömning senast {due}",
        "assessment_reminder": "Påminnelse: er parts egen bedömning saknas, senast {due}",
        "assessment_link": "Skriv bedömningen",
        "assessment_help": ("Länken är personlig, gäller i {days} dagar och öppnar bara er "
                            "parts bedömning."),
        "subject_assessment": "Årlig uppföljning: er parts egen bedömning",
        # issue 17 (part two): a dialogue meeting's agenda and invitation
        "meeting_agenda": ("Dialogmöte {due}: förslaget till dagordning och en kalenderinbjudan "
                           "är bifogade"),
        "subject_meeting": "Dialogmöte {day}: förslag till dagordning",
    },
    "en": {
        "greeting": "Hello {name},",
        "intro": "Here is what is due today for activities where you are a contact.",
        "reminder_d": "Reminder: {days} days left until {due}",
        "reminder_w": "Reminder: {due} is the last day",
        "checkin": "Time to report progress",
        "escalation_1": "Overdue: {due} has passed",
        "escalation_n": "Escalation (level {level}): the activity is overdue since {due}",
        "round_request": "Reporting round: please report status by {due}",
        "round_reminder": "Reporting round reminder: status missing, due {due}",
        "round_escalation": "The reporting round has closed: status missing",
        "delivery_failed": "A message could not be delivered",
        "annual_report": "Annual follow-up {year}",
        "report_link": "You asked for a new link to report status",
        "activity": "Activity",
        "commitment": "Commitment",
        "deadline": "Date",
        "timeline": "Timeline",
        "owners": "Responsible",
        "partners": "Partners",
        "missing": "No status from",
        "report": "Report status for all your activities",
        "report_help": "The link is personal and valid for {days} days.",
        "calendar": "Subscribe to your activities in your calendar",
        "calendar_help": ("Outlook: Add calendar > From Internet, paste the link. Google: "
                          "Other calendars > From URL. Apple: File > New Calendar "
                          "Subscription."),
        "footer": ("You receive this message from lokflow because you are a contact in the "
                   "action plan of the local agreement. Contact the coordinator if the "
                   "details are wrong."),
        "subject_reminder": "Reminder about {n} activit(ies)",
        "subject_escalation": "Overdue activities ({n})",
        "subject_round": "Reporting round: please report status",
        "subject_failed": "Delivery failure in lokflow",
        "subject_annual": "Annual follow-up {year}",
        "subject_report_link": "Your new report link",
        "failed_detail": "The message to {email} was rejected: {error}",
        "ics_summary": "{activity} {plan}: {text}",
        # issue 17: each party's own assessment of the annual follow-up
        "assessment_request": "Annual follow-up: write your party's own assessment by {due}",
        "assessment_reminder": "Reminder: your party's own assessment is missing, due {due}",
        "assessment_link": "Write the assessment",
        "assessment_help": ("The link is personal, valid for {days} days and opens your "
                            "party's assessment only."),
        "subject_assessment": "Annual follow-up: your party's own assessment",
        # issue 17 (part two): a dialogue meeting's agenda and invitation
        "meeting_agenda": ("Dialogue meeting {due}: the draft agenda and a calendar invitation "
                           "are attached"),
        "subject_meeting": "Dialogue meeting {day}: draft agenda",
    },
}
