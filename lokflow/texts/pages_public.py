"""Words of a plan's public page (`/insyn/<plan>`), its open data and its
Atom feed, in Swedish and English."""

from __future__ import annotations

SV = {
    "pu_title": "Öppen uppföljning: {plan}",
    "pu_lead": ("Här kan alla följa handlingsplanen för den lokala överenskommelsen mellan "
                "{organisation} och civilsamhället: vad parterna har åtagit sig, vem som "
                "ansvarar och hur arbetet går."),
    "pu_on_page": "På sidan",
    "pu_period": "Planperiod",
    "pu_adopted": "Antagen",
    "pu_source": "Underlag",
    "pu_updated": "Senast uppdaterad",
    "pu_progress_title": "Så går det, princip för princip",
    "pu_progress_note": ("Antal aktiviteter per senast rapporterad status. Gemensamma "
                         "aktiviteter räknas som klara först när båda parterna sagt det."),
    "pu_other_principle": "Utan angiven princip",
    "pu_activities_title": "Åtaganden och aktiviteter",
    "pu_done_of": "{done} av {total} klara ({percent} %)",
    "pu_commitment_municipality": "Kommunens åtagande",
    "pu_commitment_civil_society": "Civilsamhällets åtagande",
    "pu_commitment_joint": "Gemensamt åtagande",
    "pu_owners": "Ansvariga",
    "pu_timeline": "Tidplan",
    "pu_status": "Senaste status",
    "pu_status_on": "{status}, rapporterad {day}",
    "pu_no_status": "Ingen status rapporterad ännu",
    "pu_reports_title": "Årsrapporter",
    "pu_reports_none": "Ingen årsrapport är publicerad ännu.",
    "pu_report_link": "Årlig uppföljning {year} (PDF, {size} kB, {language})",
    "pu_language_sv": "svenska",
    "pu_language_en": "engelska",
    "pu_data_title": "Öppna data",
    "pu_data_intro": ("Samma uppgifter som på sidan, fria att använda. Filerna uppdateras när "
                      "de ansvariga rapporterar."),
    "pu_data_json": "Hela planen som JSON",
    "pu_data_csv": "Aktiviteterna som CSV (en rad per aktivitet)",
    "pu_data_atom": "Ändringar som Atom-flöde (för en flödesläsare)",
    "pu_privacy": ("Sidan visar inga personuppgifter: de ansvariga anges som förvaltningar, "
                   "råd och organisationer, och inga kommentarer visas. Inga kakor, ingen "
                   "spårning och inget hämtas från andra webbplatser."),
    "pu_feed_title": "{plan}: ändringar",
    "pu_feed_status": "{label}: {status}",
    "pu_feed_status_text": "{label} ({text}) rapporterades {status} {day}.",
    "pu_feed_date": "{label}: nytt datum {day}",
    "pu_feed_date_text": "{label} ({text}) har fått ett nytt datum: {day}.",
    "pu_feed_report": "Årlig uppföljning {year} publicerad",
    "pu_feed_report_text": "Årsrapporten för {year} finns att ladda ned som PDF.",
}

EN = {
    "pu_title": "Open follow-up: {plan}",
    "pu_lead": ("Anyone can follow the action plan of the local agreement between "
                "{organisation} and civil society here: what the parties have committed to, "
                "who is responsible and how the work is going."),
    "pu_on_page": "On this page",
    "pu_period": "Plan period",
    "pu_adopted": "Adopted",
    "pu_source": "Source",
    "pu_updated": "Last updated",
    "pu_progress_title": "Progress, principle by principle",
    "pu_progress_note": ("Activities by their latest reported status. Joint activities count "
                         "as done only once both parties have said so."),
    "pu_other_principle": "No stated principle",
    "pu_activities_title": "Commitments and activities",
    "pu_done_of": "{done} of {total} done ({percent} %)",
    "pu_commitment_municipality": "The municipality's commitment",
    "pu_commitment_civil_society": "Civil society's commitment",
    "pu_commitment_joint": "Joint commitment",
    "pu_owners": "Responsible",
    "pu_timeline": "Timeline",
    "pu_status": "Latest status",
    "pu_status_on": "{status}, reported {day}",
    "pu_no_status": "No status reported yet",
    "pu_reports_title": "Annual reports",
    "pu_reports_none": "No annual report has been published yet.",
    "pu_report_link": "Annual follow-up {year} (PDF, {size} kB, {language})",
    "pu_language_sv": "Swedish",
    "pu_language_en": "English",
    "pu_data_title": "Open data",
    "pu_data_intro": ("The same data as on this page, free to use. The files are updated "
                      "whenever those responsible report."),
    "pu_data_json": "The whole plan as JSON",
    "pu_data_csv": "The activities as CSV (one row per activity)",
    "pu_data_atom": "Changes as an Atom feed (for a feed reader)",
    "pu_privacy": ("This page shows no personal data: those responsible are named as "
                   "departments, councils and organisations, and no comments are shown. No "
                   "cookies, no tracking, and nothing is fetched from other sites."),
    "pu_feed_title": "{plan}: changes",
    "pu_feed_status": "{label}: {status}",
    "pu_feed_status_text": "{label} ({text}) was reported {status} on {day}.",
    "pu_feed_date": "{label}: new date {day}",
    "pu_feed_date_text": "{label} ({text}) has a new date: {day}.",
    "pu_feed_report": "Annual follow-up {year} published",
    "pu_feed_report_text": "The annual report for {year} can be downloaded as a PDF.",
}
