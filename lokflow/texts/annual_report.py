"""The words of the annual report, in Swedish (default) and English, and the
formatting of its dates and numbers. Every renderer takes its words from here
so the four formats say the same thing."""

from __future__ import annotations

from lokflow.texts.dates import date_time, long_date
from lokflow.texts.vocabulary import STATUS_LABELS

__all__ = ["REPORT_TEXTS", "date_time", "long_date", "period", "status_label", "words"]

REPORT_TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Årlig uppföljning {year}",
        "organisation": "Organisation",
        "plan": "Handlingsplan",
        "period": "Planperiod",
        "period_open": "{start}– (tills vidare)",
        "year": "Uppföljningsår",
        "follow_up_day": "Uppföljningsdag",
        "compiled": "Sammanställd",
        "as_of": "Uppgifter per",
        "source": "Underlag",
        "coordinators": "Samordnare",
        "contents": "Innehåll",
        "cover_foot": ("Sammanställd av lokflow ur handlingsplanen och de ansvarigas "
                       "statusrapporter. Definitionerna finns under Om underlaget."),
        "s_summary": "Sammanfattning",
        "s_activities_principle": "Aktiviteter per princip och åtagande",
        "s_activities_party": "Aktiviteter per part och åtagande",
        "s_recurring": "Återkommande och löpande aktiviteter",
        "s_overdue": "Försenade aktiviteter",
        "s_no_report": "Aktiviteter utan rapport {year}",
        "s_ahead": "Framåtblick",
        "s_about": "Om underlaget",
        "kf_activities": "aktiviteter",
        "kf_finished": "klara under {year}",
        "kf_overdue": "försenade",
        "kf_response": "svarsfrekvens {year}",
        "kf_no_report": "utan rapport {year}",
        "kf_changed": "ändrad status sedan förra året",
        "by_status": "Status för årets uppföljning",
        "by_party": "Status per part",
        "by_principle": "Status per princip",
        "trend": "Status vid årets slut, år för år",
        "chart_bars": "Liggande stapeldiagram: {title}. {rows}",
        "chart_columns": "Stapeldiagram: {title}. {rows}",
        "chart_row": "{label} – {counts}; totalt {total}.",
        "chart_none": "inga aktiviteter",
        "total": "Totalt",
        "party": "Part",
        "principle": "Princip",
        "response": "Svarsfrekvens per ansvarig",
        "response_note": ("Andel av de aktiviteter som skulle rapporteras {year} där minst "
                          "en statusrapport kom in under året."),
        "unit": "Ansvarig",
        "owned": "Aktiviteter",
        "expected": "Ska rapportera",
        "reported": "Har rapporterat",
        "rate": "Andel",
        "milestones": "Utvärdering och omförhandling",
        "no_milestones": "Ingen utvärdering eller omförhandling infaller {year}.",
        "evaluation_due": "Utvärdering av överenskommelsen ska göras {year}",
        "renegotiation_due": "Omförhandling av överenskommelsen ska göras {year}",
        "evaluation_next": "Nästa utvärdering: {year}",
        "renegotiation_next": "Nästa omförhandling: {year}",
        "cadence_first": "den första, {first} år efter {base}; därefter vart {every}:e år",
        "cadence_every": "vart {every}:e år räknat från {base}",
        "cadence_yearly": "varje år från {base}",
        "period_ends": "Planperioden löper ut {year}.",
        "other_principle": "Åtaganden utan angiven princip",
        "party_heading_municipality": "Kommunens åtaganden",
        "party_heading_civil_society": "Civilsamhällets åtaganden",
        "party_heading_joint": "Gemensamma åtaganden",
        "commitment": "Åtagande",
        "responsible": "Ansvariga",
        "partners": "Samarbetspartner",
        "timeline": "Tidplan",
        "status": "Status",
        "progress": "Framsteg",
        "comment": "Kommentar",
        "obstacles": "Hinder",
        "reported_by": "{day}, {name}",
        "regarding": "avser {occurrence}",
        "occurrence": "tillfälle",
        "last_report": "Senaste rapport",
        "never": "aldrig",
        "followed_up_jointly": "följs upp i den gemensamma bedömningen (ingen statusrapport)",
        "new_dates": "Ändrade datum",
        "moved": "{original} → {proposed}, beslutat {day}: {reason}",
        "since_last": "Sedan förra året",
        "unchanged": "oförändrat",
        "new_activity": "ny aktivitet",
        "comparison_report": ("Ändringar jämförs med årsrapporten för {year} "
                              "(nr {id}, uppgifter per {day})."),
        "comparison_as_of": ("Ändringar jämförs med läget per {day}; det finns ingen sparad "
                             "årsrapport för {year}."),
        "recurring_note": ("Återkommande aktiviteter: status för årets tillfälle(n). Löpande "
                           "arbete: senaste status som rapporterades under året."),
        "activity": "Aktivitet",
        "of_done": "{done} av {total} klara",
        "overdue_none": "Inga aktiviteter är försenade.",
        "due": "Tidpunkt",
        "days_late": "Dagar sen",
        "latest_status": "Senaste status",
        "escalation": "Eskalering",
        "no_escalation": "ingen ännu",
        "level": "Nivå {level} · {day} · {names}",
        "queued": "(ej skickad)",
        "originally": "ursprungligen {day}",
        "no_report_none": ("Alla aktiviteter som skulle rapporteras {year} har fått minst "
                           "en rapport."),
        "no_report_note": "Aktiviteter som skulle rapporteras {year} men inte fått någon rapport.",
        "deadlines_ahead": "Tidpunkter {start} – {end}",
        "no_deadlines": "Inga tidpunkter de kommande tolv månaderna.",
        "applies_to": "Gäller",
        "occurrence_deadline": "slutdatum",
        "dialogue": "Dialogträffar",
        "dialogue_per_year": "{n} dialogträffar per år",
        "next_follow_up": "Nästa årliga uppföljning",
        "page": "Sida",
        "of": "av",
        "year_of": "{year}",
        "yes": "ja",
        "about": (
            "Rapporten är sammanställd av lokflow ur handlingsplanen och de statusrapporter, "
            "datumbeslut och påminnelser som finns registrerade per {as_of}. En aktivitets "
            "status är den senast rapporterade; för årligen återkommande aktiviteter räknas "
            "bara rapporter om årets tillfälle. En tidpunkt är försenad när dagen (eller ett "
            "beslutat nytt datum) har passerat utan att aktiviteten rapporterats som klar "
            "eller inställd. Svarsfrekvensen räknar aktiviteter som skulle rapporteras {year}, "
            "det vill säga allt utom engångsaktiviteter som avslutades före årets början. "
            "Rapporten sparas med sitt underlag och kan återskapas oförändrad (nr {id})."),
        "xlsx_text": "Beskrivning",
        "xlsx_reported_on": "Rapportdatum",
        "xlsx_reporter": "Rapportör",
        "xlsx_occurrence": "Avser",
        "xlsx_previous": "Status förra året",
        "xlsx_inferred": "Antaget (anges inte i handlingsplanen)",
    },
    "en": {
        "title": "Annual follow-up {year}",
        "organisation": "Organisation",
        "plan": "Action plan",
        "period": "Plan period",
        "period_open": "{start}– (until revised)",
        "year": "Follow-up year",
        "follow_up_day": "Follow-up day",
        "compiled": "Compiled",
        "as_of": "Data as of",
        "source": "Source",
        "coordinators": "Coordinators",
        "contents": "Contents",
        "cover_foot": ("Compiled by lokflow from the action plan and the status reports of "
                       "those responsible. The definitions are under About the data."),
        "s_summary": "Summary",
        "s_activities_principle": "Activities by principle and commitment",
        "s_activities_party": "Activities by party and commitment",
        "s_recurring": "Recurring and ongoing activities",
        "s_overdue": "Overdue activities",
        "s_no_report": "Activities without a report in {year}",
        "s_ahead": "Looking ahead",
        "s_about": "About the data",
        "kf_activities": "activities",
        "kf_finished": "finished in {year}",
        "kf_overdue": "overdue",
        "kf_response": "response rate {year}",
        "kf_no_report": "without a report in {year}",
        "kf_changed": "changed status since last year",
        "by_status": "Status at this follow-up",
        "by_party": "Status by party",
        "by_principle": "Status by principle",
        "trend": "Status at the end of each year",
        "chart_bars": "Horizontal bar chart: {title}. {rows}",
        "chart_columns": "Column chart: {title}. {rows}",
        "chart_row": "{label} – {counts}; total {total}.",
        "chart_none": "no activities",
        "total": "Total",
        "party": "Party",
        "principle": "Principle",
        "response": "Response rate by responsible unit",
        "response_note": ("Share of the activities due a report in {year} that received at "
                          "least one status report during the year."),
        "unit": "Responsible",
        "owned": "Activities",
        "expected": "Due a report",
        "reported": "Reported",
        "rate": "Rate",
        "milestones": "Evaluation and renegotiation",
        "no_milestones": "No evaluation or renegotiation falls in {year}.",
        "evaluation_due": "The agreement is to be evaluated in {year}",
        "renegotiation_due": "The agreement is to be renegotiated in {year}",
        "evaluation_next": "Next evaluation: {year}",
        "renegotiation_next": "Next renegotiation: {year}",
        "cadence_first": "the first, {first} years after {base}; then every {every} years",
        "cadence_every": "every {every} years counted from {base}",
        "cadence_yearly": "every year from {base}",
        "period_ends": "The plan period ends in {year}.",
        "other_principle": "Commitments without a stated principle",
        "party_heading_municipality": "The municipality's commitments",
        "party_heading_civil_society": "Civil society's commitments",
        "party_heading_joint": "Joint commitments",
        "commitment": "Commitment",
        "responsible": "Responsible",
        "partners": "Partners",
        "timeline": "Timeline",
        "status": "Status",
        "progress": "Progress",
        "comment": "Comment",
        "obstacles": "Obstacles",
        "reported_by": "{day}, {name}",
        "regarding": "about {occurrence}",
        "occurrence": "occurrence",
        "last_report": "Latest report",
        "never": "never",
        "followed_up_jointly": "followed up in the joint assessment (no status report)",
        "new_dates": "Changed dates",
        "moved": "{original} → {proposed}, decided {day}: {reason}",
        "since_last": "Since last year",
        "unchanged": "unchanged",
        "new_activity": "new activity",
        "comparison_report": ("Changes are compared with the annual report for {year} "
                              "(no. {id}, data as of {day})."),
        "comparison_as_of": ("Changes are compared with the state as of {day}; no annual "
                             "report for {year} is stored."),
        "recurring_note": ("Recurring activities: status of the year's occurrence(s). Ongoing "
                           "work: the latest status reported during the year."),
        "activity": "Activity",
        "of_done": "{done} of {total} done",
        "overdue_none": "No activity is overdue.",
        "due": "Due",
        "days_late": "Days late",
        "latest_status": "Latest status",
        "escalation": "Escalation",
        "no_escalation": "none yet",
        "level": "Level {level} · {day} · {names}",
        "queued": "(not sent)",
        "originally": "originally {day}",
        "no_report_none": "Every activity due a report in {year} has received at least one.",
        "no_report_note": "Activities due a report in {year} that have received none.",
        "deadlines_ahead": "Dates {start} – {end}",
        "no_deadlines": "No dates in the coming twelve months.",
        "applies_to": "Occurrence",
        "occurrence_deadline": "deadline",
        "dialogue": "Dialogue meetings",
        "dialogue_per_year": "{n} dialogue meetings a year",
        "next_follow_up": "Next annual follow-up",
        "page": "Page",
        "of": "of",
        "year_of": "{year}",
        "yes": "yes",
        "about": (
            "This report was compiled by lokflow from the action plan and the status reports, "
            "date decisions and reminders recorded as of {as_of}. An activity's status is the "
            "latest one reported; for activities that recur every year only reports about "
            "this year's occurrence count. A date is overdue when it (or an accepted new "
            "date) has passed without the activity being reported done or cancelled. The "
            "response rate counts the activities due a report in {year}: everything except "
            "one-off activities finished before the year began. The report is stored with "
            "its data and can be rebuilt unchanged (no. {id})."),
        "xlsx_text": "Description",
        "xlsx_reported_on": "Report date",
        "xlsx_reporter": "Reporter",
        "xlsx_occurrence": "Regarding",
        "xlsx_previous": "Status last year",
        "xlsx_inferred": "Inferred (not given in the action plan)",
    },
}

EXTRA_STATUS = {
    "sv": {"none": "ingen rapport", "missing": "saknas", "upcoming": "ej förfallen"},
    "en": {"none": "no report", "missing": "missing", "upcoming": "not yet due"},
}


def words(language: str) -> dict[str, str]:
    return REPORT_TEXTS[language]


def status_label(status: str | None, language: str) -> str:
    """The people's word for a status or verdict (lower case)."""
    key = status or "none"
    if key in EXTRA_STATUS[language]:
        return EXTRA_STATUS[language][key]
    return STATUS_LABELS[language][key]


def period(start: int, end: int | None, language: str) -> str:
    return f"{start}–{end}" if end else words(language)["period_open"].format(start=start)


def _merge_committee_words() -> None:
    """Issue 17's words (annual_report_committee), each key defined once."""
    from lokflow.texts import annual_report_committee as committee

    for language, extra in (("sv", committee.SV), ("en", committee.EN)):
        twice = set(extra) & set(REPORT_TEXTS[language])
        if twice:
            raise ValueError(f"annual report texts defined twice: {sorted(twice)}")
        REPORT_TEXTS[language].update(extra)


_merge_committee_words()
