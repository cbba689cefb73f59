"""Words coordinators write in their own tables, which imports read (input
vocabulary, not output): column headers, how owners are joined, and how a
table's heading names the party."""

from __future__ import annotations

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "aktivitets-id", "activity id"),
    "number": ("nr", "nummer", "num", "no", "#", "number", "punkt"),
    "commitment": ("åtagande", "åtaganden", "commitment", "commitments", "mål"),
    "party": ("part", "parter", "party"),
    "text": ("aktivitet", "aktiviteter", "åtgärd", "åtgärder", "insats", "insatser",
             "activity", "activities", "action", "beskrivning", "vad"),
    "owners": ("ansvarig", "ansvariga", "ansvar", "huvudansvarig", "ansvarig part",
               "responsible", "owner", "owners", "vem"),
    "executor": ("utförare", "genomförare", "executor"),
    "partners": ("samverkanspart", "samverkansparter", "samverkanspartner", "partner",
                 "partners", "i samverkan med", "samarbetspart", "samarbetsparter",
                 "medverkande"),
    "timeline": ("tidsplan", "tidplan", "när", "klart", "klar", "tidpunkt", "tid", "datum",
                 "deadline", "timeline", "when", "period", "klart när"),
    "timeline_note": ("kommentar tidsplan", "kommentar till tidsplanen", "timeline note"),
    "kind": ("typ", "följs upp", "kind", "follow-up", "follow up"),
    "note": ("kommentar", "kommentarer", "anmärkning", "anteckning", "övrigt", "note",
             "comment", "comments", "status"),
}
OWNER_JOINS = (" och ", " samt ")
PLAIN_LETTERS = ("åäöéü", "aaoeu")
PARTY_WORDS: dict[str, tuple[str, ...]] = {
    "joint": ("gemensam", "gemensamma", "båda", "joint"),
    "civil_society": ("civilsamhälle", "förening", "idéburen", "idéburna", "civil society"),
    "municipality": ("kommun", "region", "municipality"),
}
NEW_UNIT_ID = "enhet"
FOLLOW_UP_VALUES = ("följs upp", "följs upp i den gemensamma bedömningen", "gemensam bedömning",
                    "åtagande att följa upp", "förhållningssätt", "ja", "x",
                    "follow_up", "follow-up", "follow up", "yes")
"""A cell in the kind column that makes the row a commitment to follow up."""
