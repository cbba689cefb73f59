"""Words of the plan workbook (`lokflow export --format xlsx`): sheet names
and column headers, in Swedish and English. A field without a label here is
headed by its own name in the plan file (new plan fields flow through)."""

from __future__ import annotations

SHEETS = {
    "sv": {"plan": "Plan", "contacts": "Kontakter", "units": "Enheter",
           "principles": "Principer", "commitments": "Åtaganden", "activities": "Aktiviteter"},
    "en": {"plan": "Plan", "contacts": "Contacts", "units": "Units",
           "principles": "Principles", "commitments": "Commitments", "activities": "Activities"},
}

LABELS = {
    "sv": {
        "field": "Fält", "value": "Värde", "list": "Lista", "unit": "Enhet",
        "list_coordinators": "samordnare", "list_steering_group": "styrgrupp",
        "list_contacts": "kontaktperson", "list_escalation": "eskalering",
        "id": "Id", "number": "Nr", "name": "Namn", "email": "E-post", "role": "Roll",
        "language": "Språk", "kind": "Typ", "note": "Kommentar", "description": "Beskrivning",
        "party": "Part", "principle": "Princip", "text": "Text", "commitment": "Åtagande",
        "owners": "Ansvariga", "responsible_as_written": "Ansvarig enligt planen",
        "executor": "Utförare", "partners": "Samverkansparter", "timeline": "Tidsplan",
        "timeline_note": "Kommentar till tidsplanen", "annual_date": "Egen årsdag",
        "location": "Plats", "policy": "Egen policy (JSON)",
    },
    "en": {
        "field": "Field", "value": "Value", "list": "List", "unit": "Unit",
        "list_coordinators": "coordinator", "list_steering_group": "steering group",
        "list_contacts": "contact", "list_escalation": "escalation",
        "id": "Id", "number": "No.", "name": "Name", "email": "Email", "role": "Role",
        "language": "Language", "kind": "Kind", "note": "Note", "description": "Description",
        "party": "Party", "principle": "Principle", "text": "Text", "commitment": "Commitment",
        "owners": "Responsible", "responsible_as_written": "Responsible as written",
        "executor": "Executor", "partners": "Partners", "timeline": "Timeline",
        "timeline_note": "Timeline note", "annual_date": "Own annual day",
        "location": "Location", "policy": "Own policy (JSON)",
    },
}
