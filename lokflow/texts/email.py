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
        "footer": ("Du får det här meddelandet från {organisation} eftersom du är "
                   "kontaktperson i handlingsplanen för den lokala överenskommelsen "
                   "({plan})."),
        "subject_reminder": "Påminnelse ({n})",
        "subject_escalation": "Försenade aktiviteter ({n})",
        "subject_round": "Rapporteringsomgång: lämna status",
        "subject_failed": "Leveransfel i lokflow",
        "subject_annual": "Årlig uppföljning {year}",
        "subject_report_link": "Din nya rapportlänk",
        "failed_detail": "Meddelandet till {email} avvisades: {error}",
        "ics_summary": "{activity} {plan}: {text}",
        "late": "Sen avisering: tidpunkten {due} har redan passerat",
        "late_help": ("lokflow började bevaka aktiviteten efter tidpunkten (eller var avstängt), "
                      "så ingen påminnelse kom i tid. Rapportera läget eller begär ett nytt "
                      "datum; först därefter går ärendet vidare."),
        "intro_escalation": ("Följande aktiviteter är försenade. Du får detta som {role}; de "
                             "ansvariga har redan fått besked om att tidpunkten har passerat."),
        "footer_escalation": ("Du får detta meddelande från {organisation} eftersom du är "
                              "{role} i handlingsplanen för den lokala överenskommelsen. "
                              "Kontakta samordnaren om uppgifterna är fel."),
        "role_escalation_contacts": "eskaleringskontakt för en ansvarig enhet",
        "role_coordinators": "samordnare",
        "role_steering_group": "ledamot i styrgruppen",
        "placeholder_skipped": ("Inte skickat till {email}: adressen är en platshållare i "
                                "planfilen. Lägg in en riktig kontakt för enheten."),
        "asked": "Aktiviteterna att rapportera:",
        "count_one": "1 aktivitet",
        "count_many": "{n} aktiviteter",
        "subject_due": "Rapportera senast {by}: {what}",
        "subject_round_due": "Rapporteringsomgång: rapportera senast {by}",
        "subject_overdue": "Försenat: {what}",
        "subject_reply_confirmed": "Tack, din rapport är sparad",
        "subject_reply_unclear": "Vi kunde inte läsa hela ditt svar",
        "subject_reply_forwarded": "Ett svar från en annan adress",
        "title_report": "Rapportera status",
        "coordinator_line": "Frågor? Kontakta samordnaren {name}, {email}.",
        "report_link_text": "Öppna din rapportsida",
        "report_lead": "Rapportera alla dina aktiviteter på en gång:",
        "reply_help": ("Du kan också svara på det här meddelandet. Skriv status först i "
                       "svaret, till exempel: klar, pågår 60 % eller försenad, ny tid "
                       "2026-03-01 – skälet. Gäller svaret flera aktiviteter, skriv en rad "
                       "per aktivitet:"),
        "reply_example": "{label}: klar",
        "calendar_link_text": "Prenumerera i kalendern",
        "ics_round": "{plan}: rapporteringsomgångens sista dag",
        "ics_round_text": "Sista dag att rapportera status: {due}.",
        "reply_confirmed": "Vi har sparat det du svarade",
        "reply_unclear": "Vi kunde inte förstå hela ditt svar",
        "reply_forwarded": "Ett svar kom från en adress som inte fick påminnelsen",
        "reply_saved_item": "{label}: {status}",
        "reply_understood": "Så här förstod vi ditt svar:",
        "reply_not_understood": "Det här kunde vi inte tolka:",
        "reply_use_form": "Rapportera i stället på din rapportsida:",
        "reply_nothing": "Vi hittade ingen status i början av svaret.",
        "reply_from": "Från: {address}",
        "reply_text": "Svaret börjar:",
        "reply_not_recorded": ("Svaret har inte sparats som rapport, eftersom det inte kom "
                               "från mottagaren av påminnelsen."),
        "reply_next": "Samordnaren läser rapporten. Du behöver inte göra något mer.",
        "link_request": "Här är din nya personliga rapportlänk",
        "manual_reminder": "Påminnelse från samordnaren: rapportera läget",
        "subject_manual": "Påminnelse från samordnaren: rapportera senast {by}: {what}",
        "date_accepted": "Ditt förslag om nytt datum är godkänt: {due} gäller nu",
        "date_rejected": "Ditt förslag om nytt datum är avslaget: {due} gäller fortfarande",
        "decision_reason": "Motivering",
        "subject_date_decision": "Beslut om ditt datumförslag",
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
        "footer": ("You receive this message from {organisation} because you are a contact "
                   "in the action plan of the local agreement ({plan})."),
        "subject_reminder": "Reminder ({n})",
        "subject_escalation": "Overdue activities ({n})",
        "subject_round": "Reporting round: please report status",
        "subject_failed": "Delivery failure in lokflow",
        "subject_annual": "Annual follow-up {year}",
        "subject_report_link": "Your new report link",
        "failed_detail": "The message to {email} was rejected: {error}",
        "ics_summary": "{activity} {plan}: {text}",
        "late": "Late notice: {due} has already passed",
        "late_help": ("lokflow started following this activity after its date (or was stopped), "
                      "so no reminder came in time. Report progress or ask for a new date; "
                      "only then does the matter go further."),
        "intro_escalation": ("The following activities are overdue. You receive this as {role}; "
                             "those responsible have already been told that the date has "
                             "passed."),
        "footer_escalation": ("You receive this message from {organisation} because you are "
                              "{role} in the action plan of the local agreement. Contact the "
                              "coordinator if the details are wrong."),
        "role_escalation_contacts": "an escalation contact of a responsible unit",
        "role_coordinators": "a coordinator",
        "role_steering_group": "a member of the steering group",
        "placeholder_skipped": ("Not sent to {email}: the address is a placeholder in the plan "
                                "file. Add a real contact for the unit."),
        "asked": "The activities to report on:",
        "count_one": "1 activity",
        "count_many": "{n} activities",
        "subject_due": "Report by {by}: {what}",
        "subject_round_due": "Reporting round: report by {by}",
        "subject_overdue": "Overdue: {what}",
        "subject_reply_confirmed": "Thank you, your report is saved",
        "subject_reply_unclear": "We could not read all of your reply",
        "subject_reply_forwarded": "A reply from another address",
        "title_report": "Report status",
        "coordinator_line": "Questions? Contact the coordinator, {name}, {email}.",
        "report_link_text": "Open your report page",
        "report_lead": "Report all your activities at once:",
        "reply_help": ("You can also reply to this message. Put the status first in your "
                       "reply, for example: done, in progress 60 % or delayed, new date "
                       "2026-03-01 – the reason. If the reply is about several activities, "
                       "write one line per activity:"),
        "reply_example": "{label}: done",
        "calendar_link_text": "Subscribe in your calendar",
        "ics_round": "{plan}: last day of the reporting round",
        "ics_round_text": "Last day to report status: {due}.",
        "reply_confirmed": "We saved what you replied",
        "reply_unclear": "We could not understand all of your reply",
        "reply_forwarded": "A reply came from an address that did not get the reminder",
        "reply_saved_item": "{label}: {status}",
        "reply_understood": "This is how we understood your reply:",
        "reply_not_understood": "This we could not read:",
        "reply_use_form": "Report on your report page instead:",
        "reply_nothing": "We found no status at the start of the reply.",
        "reply_from": "From: {address}",
        "reply_text": "The reply begins:",
        "reply_not_recorded": ("The reply was not saved as a report, because it did not "
                               "come from the recipient of the reminder."),
        "reply_next": "The coordinator reads the report. You need not do anything more.",
        "link_request": "Here is your new personal report link",
        "manual_reminder": "Reminder from the coordinator: please report progress",
        "subject_manual": "Reminder from the coordinator: report by {by}: {what}",
        "date_accepted": "Your proposed new date is accepted: {due} applies now",
        "date_rejected": "Your proposed new date is rejected: {due} still applies",
        "decision_reason": "Reason",
        "subject_date_decision": "Decision on your proposed date",
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
