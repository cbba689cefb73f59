"""Words of what a coordinator does from the web: remind now, record a report
on an owner's behalf, decide dates, open rounds, compile the annual report;
and the names of an activity's fields in its event log. Swedish and English."""

from __future__ import annotations

_FIELDS_SV = {"number": "nummer", "party": "part", "principle_key": "princip", "text": "text",
              "owner_keys": "ansvariga", "responsible_as_written": "ansvarig enligt planen",
              "executor": "utförare", "partners": "samarbetspartner", "timeline": "tidplan",
              "timeline_note": "kommentar till tidplanen", "schedule": "tidpunkter",
              "policy": "påminnelser och eskalering", "location": "plats",
              "note": "anteckning"}
_FIELDS_EN = {"number": "number", "party": "party", "principle_key": "principle", "text": "text",
              "owner_keys": "responsible units",
              "responsible_as_written": "responsible as written", "executor": "carried out by",
              "partners": "partners", "timeline": "timeline",
              "timeline_note": "note on the timeline", "schedule": "dates",
              "policy": "reminders and escalation", "location": "place", "note": "note"}

SV = {
    **{f"field_name_{k}": v for k, v in _FIELDS_SV.items()},
    "ev_reminded_now": "{by} skickade en påminnelse nu till {n} kontaktperson(er)",
    "remind_title": "Skicka påminnelse nu",
    "remind_intro": ("Påminnelsen går till de ansvarigas kontaktpersoner. Så här ser mejlet "
                     "ut; den personliga rapportlänken skapas när det skickas."),
    "remind_recipients": "Mottagare",
    "remind_none": "De ansvariga har inga kontaktpersoner att skicka till.",
    "remind_email": "Mejlet till {name}",
    "remind_subject": "Ämne",
    "remind_send": "Skicka påminnelsen till {n} person(er)",
    "remind_cancel": "Avbryt",
    "remind_done": ("Påminnelsen är lagd i utkorgen och skickas nu till {n} person(er). Under "
                    "Meddelanden som skickats syns när den är levererad."),
    "remind_again": "Påminnelsen var redan skickad; inget skickades två gånger.",
    "round_remind_title": "Påminn alla som saknar svar",
    "round_remind_intro": ("Påminnelsen går till kontaktpersonerna för de ansvariga som inte "
                           "har svarat i omgången, med en länk till deras aktiviteter."),
    "round_remind_button": "Påminn alla som saknar svar nu",
    "round_remind_send": "Skicka påminnelsen till {n} person(er)",
    "round_remind_done": "Påminnelsen är lagd i utkorgen och skickas nu till {n} person(er).",
    "col_for_activities": "Saknar svar för",
    "behalf_title": "Registrera rapport åt ansvarig",
    "behalf_intro": ("Fyll i det som den ansvariga berättade, till exempel i telefon eller på "
                     "ett möte. Du står som den som registrerade rapporten, och hur den kom in "
                     "sparas."),
    "behalf_owner": "Vems rapport är det?",
    "behalf_owner_hint": "Namnet på den som lämnade uppgifterna.",
    "behalf_channel": "Hur kom rapporten in?",
    "behalf_occurrence": "Vilken tidpunkt gäller rapporten?",
    "behalf_submit": "Spara rapporten",
    "behalf_done": "Rapporten är sparad.",
    "reported_for": "åt {name}",
    "err_behalf_owner": "Skriv vems rapport det är (högst 200 tecken).",
    "err_behalf_channel": "Välj hur rapporten kom in.",
    "err_behalf_occurrence": "Välj en av aktivitetens tidpunkter.",
    "decide_reason": "Motivering (skickas till den ansvariga)",
    "decide_reason_hint": "Krävs. Högst 2000 tecken.",
    "err_decision_reason_required": "Skriv en motivering till beslutet.",
    "err_decision_reason_too_long": "Motiveringen får vara högst 2000 tecken.",
    "decision_reason": "Motivering",
    "round_open_title": "Öppna omgången",
    "round_open_intro": ("Välj sista dag för svar. När omgången öppnas får varje "
                         "kontaktperson med aktiviteter i omgången en begäran med sin länk, "
                         "direkt. En rapport som lämnats de senaste {days} dagarna räknas som "
                         "svar."),
    "round_deadline": "Sista dag för svar",
    "round_deadline_hint": "ÅÅÅÅ-MM-DD. Uppföljningsdagen är {day}.",
    "round_deadline_passed": ("Uppföljningsdagen {day} har redan passerat. Välj en senare "
                              "sista dag för att öppna omgången."),
    "round_preview_button": "Förhandsgranska",
    "round_preview_title": "Så här blir omgången",
    "round_preview_who": ("{people} person(er) får en begäran om rapport för {total} "
                          "aktivitet(er); {answered} har redan svarat."),
    "round_preview_email": "Begäran till {name}",
    "round_opened": "Omgången är öppnad och begäran skickas nu till {n} person(er).",
    "round_opened_later": ("Omgången är öppnad. Ingen begäran skickades i dag; den går ut "
                           "första arbetsdagen till dem som saknar svar."),
    "err_round_deadline_passed": "Sista dag för svar måste vara efter i dag.",
    "err_round_deadline_invalid": "Skriv sista dag för svar som ÅÅÅÅ-MM-DD.",
    "err_round_no_round": "Det finns ingen rapporteringsomgång för året.",
    "err_round_round_error": "Omgången kunde inte ändras.",
    "err_action_invalid": "Formuläret hade gått ut. Ladda om sidan och försök igen.",
    "err_no_contacts": "De ansvariga har inga kontaktpersoner att skicka till.",
    "err_no_open_round": "Ingen rapporteringsomgång är öppen.",
    "err_nobody_missing": "Alla har redan svarat i omgången.",
    "ar_compile_title": "Sammanställ årsrapporten",
    "ar_compile_intro": ("Rapporten byggs av uppgifterna just nu och sparas som en ny version "
                         "om något har ändrats sedan förra gången."),
    "ar_plan": "Plan",
    "ar_year": "År",
    "ar_language": "Språk",
    "ar_compile_button": "Sammanställ",
    "ar_job_title": "Årsrapporten sammanställs",
    "ar_job_step_queued": "Väntar på att börja",
    "ar_job_step_reading": "Läser uppgifterna",
    "ar_job_step_pdf": "Skapar PDF",
    "ar_job_step_done": "Klar",
    "ar_job_step_failed": "Misslyckades",
    "ar_job_progress": "Steg {n} av 3: {step}",
    "ar_job_wait": "Sidan uppdateras av sig själv. Du kan också ladda om den.",
    "ar_job_done": "Årsrapporten är klar: version {version}.",
    "ar_job_same": ("Uppgifterna har inte ändrats sedan version {version}, så ingen ny version "
                    "sparades."),
    "ar_job_failed": "Årsrapporten kunde inte sammanställas. Försök igen senare.",
    "ar_job_list": "Till årsrapporterna",
    "ar_col_version": "Version",
    "ar_version": "version {n}",
    "ar_latest": "senaste",
    "ar_replaced": "ersatt av version {n}",
    "err_ar_year": "Välj ett år mellan 2000 och 2100.",
}

EN = {
    **{f"field_name_{k}": v for k, v in _FIELDS_EN.items()},
    "ev_reminded_now": "{by} sent a reminder now to {n} contact(s)",
    "remind_title": "Send a reminder now",
    "remind_intro": ("The reminder goes to the contacts of the responsible units. This is "
                     "the email; the personal report link is made when it is sent."),
    "remind_recipients": "Recipients",
    "remind_none": "The responsible units have no contacts to send to.",
    "remind_email": "The email to {name}",
    "remind_subject": "Subject",
    "remind_send": "Send the reminder to {n} person(s)",
    "remind_cancel": "Cancel",
    "remind_done": ("The reminder is in the outbox and is being sent to {n} person(s). "
                    "Messages sent shows when it is delivered."),
    "remind_again": "The reminder had already been sent; nothing was sent twice.",
    "round_remind_title": "Remind everyone with missing answers",
    "round_remind_intro": ("The reminder goes to the contacts of the responsible units that "
                           "have not answered in the round, with a link to their activities."),
    "round_remind_button": "Remind everyone with missing answers now",
    "round_remind_send": "Send the reminder to {n} person(s)",
    "round_remind_done": "The reminder is in the outbox and is being sent to {n} person(s).",
    "col_for_activities": "No answer for",
    "behalf_title": "Record a report for the responsible unit",
    "behalf_intro": ("Enter what the responsible contact told you, for example on the phone "
                     "or at a meeting. You are recorded as the one who entered it, and how "
                     "it came in is kept."),
    "behalf_owner": "Whose report is it?",
    "behalf_owner_hint": "The name of the person who gave the information.",
    "behalf_channel": "How did the report come in?",
    "behalf_occurrence": "Which date is the report about?",
    "behalf_submit": "Save the report",
    "behalf_done": "The report is saved.",
    "reported_for": "for {name}",
    "err_behalf_owner": "Write whose report it is (at most 200 characters).",
    "err_behalf_channel": "Choose how the report came in.",
    "err_behalf_occurrence": "Choose one of the activity's dates.",
    "decide_reason": "Reason (sent to the responsible contacts)",
    "decide_reason_hint": "Required. At most 2000 characters.",
    "err_decision_reason_required": "Write a reason for the decision.",
    "err_decision_reason_too_long": "The reason may be at most 2000 characters.",
    "decision_reason": "Reason",
    "round_open_title": "Open the round",
    "round_open_intro": ("Choose the last day for answers. When the round opens, every "
                         "contact with activities in the round gets a request with their link "
                         "at once. A report given in the last {days} days counts as an "
                         "answer."),
    "round_deadline": "Last day for answers",
    "round_deadline_hint": "YYYY-MM-DD. The follow-up day is {day}.",
    "round_deadline_passed": ("The follow-up day {day} has already passed. Choose a later "
                              "last day to open the round."),
    "round_preview_button": "Preview",
    "round_preview_title": "What the round will be",
    "round_preview_who": ("{people} person(s) get a request for reports on {total} "
                          "activit(ies); {answered} have already answered."),
    "round_preview_email": "The request to {name}",
    "round_opened": "The round is open and the requests are being sent to {n} person(s).",
    "round_opened_later": ("The round is open. No request was sent today; they go out on "
                           "the first working day to those with missing answers."),
    "err_round_deadline_passed": "The last day for answers must be after today.",
    "err_round_deadline_invalid": "Write the last day for answers as YYYY-MM-DD.",
    "err_round_no_round": "There is no reporting round for the year.",
    "err_round_round_error": "The round could not be changed.",
    "err_action_invalid": "The form had expired. Reload the page and try again.",
    "err_no_contacts": "The responsible units have no contacts to send to.",
    "err_no_open_round": "No reporting round is open.",
    "err_nobody_missing": "Everyone has already answered in the round.",
    "ar_compile_title": "Compile the annual report",
    "ar_compile_intro": ("The report is built from the data as it is now and stored as a new "
                         "version if anything has changed since the last time."),
    "ar_plan": "Plan",
    "ar_year": "Year",
    "ar_language": "Language",
    "ar_compile_button": "Compile",
    "ar_job_title": "The annual report is being compiled",
    "ar_job_step_queued": "Waiting to start",
    "ar_job_step_reading": "Reading the data",
    "ar_job_step_pdf": "Making the PDF",
    "ar_job_step_done": "Done",
    "ar_job_step_failed": "Failed",
    "ar_job_progress": "Step {n} of 3: {step}",
    "ar_job_wait": "The page updates by itself. You can also reload it.",
    "ar_job_done": "The annual report is ready: version {version}.",
    "ar_job_same": ("The data has not changed since version {version}, so no new version was "
                    "stored."),
    "ar_job_failed": "The annual report could not be compiled. Try again later.",
    "ar_job_list": "To the annual reports",
    "ar_col_version": "Version",
    "ar_version": "version {n}",
    "ar_latest": "latest",
    "ar_replaced": "replaced by version {n}",
    "err_ar_year": "Choose a year between 2000 and 2100.",
}
