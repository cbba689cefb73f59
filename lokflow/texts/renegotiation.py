"""The words of a renegotiation's change report and of an evaluation report,
in Swedish (default) and English."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "report_title": "Ändringar inför omförhandlingen: {old} → {new}",
        "report_intro": ("Underlag för beslut: planen {old} ({old_period}) blir {new} "
                         "({new_period}). Varje aktivitet förs över, ändras eller avslutas."),
        "period": "{start}–{end}",
        "counts": "{carry} förs över, {change} ändras, {close} avslutas, {added} nya.",
        "commitment": "Åtagande {label}",
        "col_activity": "Aktivitet", "col_decision": "Beslut", "col_old": "Nu",
        "col_new": "I den nya planen", "col_reason": "Skäl",
        "carry": "förs över", "change": "ändras", "close": "avslutas", "new": "ny",
        "closed_done": "Klar i förra perioden ({status}).",
        "moved_into_period": ("Tidplanen {old} låg före den nya perioden; föreslagen ny "
                              "tidplan: {new} (markerad som antagen, bekräfta den)."),
        "old_reason": "Omförhandlad: ersätts av {new} från {start}.",
        "new_reason": "Ny version efter omförhandling av {old}.",
        "field_text": "text", "field_timeline": "tidsplan", "field_owners": "ansvariga",
        "evaluation_title": "Utvärdering {year}: {plan}",
        "evaluation_intro": ("Utvärderingen av överenskommelsen {year}: båda parternas egna "
                             "bedömningar per princip och svar på planens frågor, sida vid "
                             "sida. De vägs aldrig samman."),
        "evaluation_covers": "Utvärderingen gäller åren {first}–{last}.",
        "evaluation_due": "Planen utvärderas {years}.",
        "evaluation_none": "{year} är inget utvärderingsår för planen.",
        "municipality": "Kommunens bedömning", "civil_society": "Civilsamhällets bedömning",
        "overall": "Överenskommelsen som helhet",
        "question": "Fråga {n}: {text}",
        "not_given": "ingen bedömning",
        "status_heading": "Läget per princip under perioden",
        "principle": "Princip", "activities": "Aktiviteter", "done": "Klara",
        "other": "Övrigt",
    },
    "en": {
        "report_title": "Changes for the renegotiation: {old} → {new}",
        "report_intro": ("For the decision: the plan {old} ({old_period}) becomes {new} "
                         "({new_period}). Each activity is carried over, changed or closed."),
        "period": "{start}–{end}",
        "counts": "{carry} carried over, {change} changed, {close} closed, {added} new.",
        "commitment": "Commitment {label}",
        "col_activity": "Activity", "col_decision": "Decision", "col_old": "Now",
        "col_new": "In the new plan", "col_reason": "Reason",
        "carry": "carried over", "change": "changed", "close": "closed", "new": "new",
        "closed_done": "Done in the previous period ({status}).",
        "moved_into_period": ("The timeline {old} lay before the new period; proposed new "
                              "timeline: {new} (marked as inferred: confirm it)."),
        "old_reason": "Renegotiated: replaced by {new} from {start}.",
        "new_reason": "New version after the renegotiation of {old}.",
        "field_text": "text", "field_timeline": "timeline", "field_owners": "owners",
        "evaluation_title": "Evaluation {year}: {plan}",
        "evaluation_intro": ("The evaluation of the agreement in {year}: both parties' own "
                             "assessments per principle and answers to the plan's questions, "
                             "side by side. They are never merged."),
        "evaluation_covers": "The evaluation covers {first}–{last}.",
        "evaluation_due": "The plan is evaluated in {years}.",
        "evaluation_none": "{year} is not an evaluation year of the plan.",
        "municipality": "The municipality's assessment",
        "civil_society": "Civil society's assessment",
        "overall": "The agreement as a whole",
        "question": "Question {n}: {text}",
        "not_given": "no assessment",
        "status_heading": "Status per principle over the period",
        "principle": "Principle", "activities": "Activities", "done": "Done",
        "other": "Other",
    },
}


def renegotiation_words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["sv"])
