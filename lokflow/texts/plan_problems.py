"""What is wrong with a plan, as a coordinator reads it (web editor, imports):
one message per problem code, in Swedish and English. The CLI's plan file
errors stay in English for IT staff (plans/plan_files)."""

from __future__ import annotations

PROBLEMS = {
    "sv": {
        "missing": "Uppgiften saknas.",
        "missing_items": "Minst en behövs.",
        "too_long": "Texten är för lång (högst {limit} tecken).",
        "bad_email": "{value} är ingen giltig e-postadress.",
        "bad_key": ("{value} går inte att använda som id: bara bokstäver, siffror, punkt, "
                    "bindestreck och understreck, högst 63 tecken."),
        "bad_number": "{value} är inget heltal.",
        "out_of_range": "Värdet ska vara mellan {low} och {high}.",
        "bad_date": "{value} är inget datum; skriv till exempel 2025-03-31.",
        "bad_month_day": "{value} är ingen dag på året; skriv MM-DD, till exempel 11-15.",
        "bad_choice": "{value} går inte att välja; välj bland: {choices}.",
        "bad_bool": "{value} ska vara ja eller nej.",
        "bad_json": "Värdet går inte att läsa ({detail}).",
        "unknown_field": "Okänd uppgift {value}; kontrollera stavningen.",
        "duplicate_id": "Id {value} används två gånger.",
        "unknown_unit": "Okänd ansvarig {value}. Enheter i planen: {known}.",
        "unknown_principle": "Okänd princip {value}.",
        "period_order": "Perioden slutar ({value}) innan den börjar.",
        "bad_timeline": ("Tidsplanen {value} går inte att tolka. Skriv till exempel 2023, "
                         "2022-2023, Årligen, Löpande, Vid behov, 2022 och framåt, ett datum "
                         "2025-03-31 eller ett intervall 2025-09-01..2025-11-30."),
        "too_many_rrules": "För många olika RRULE-tidsplaner i en plan; skriv de andra i ord.",
        "invalid": "Ogiltigt värde ({detail}).",
    },
    "en": {
        "missing": "This is required.",
        "missing_items": "At least one is needed.",
        "too_long": "The text is too long (at most {limit} characters).",
        "bad_email": "{value} is not a valid email address.",
        "bad_key": ("{value} cannot be an id: only letters, digits, dot, hyphen and "
                    "underscore, at most 63 characters."),
        "bad_number": "{value} is not a whole number.",
        "out_of_range": "The value must be between {low} and {high}.",
        "bad_date": "{value} is not a date; write e.g. 2025-03-31.",
        "bad_month_day": "{value} is not a day of the year; write MM-DD, e.g. 11-15.",
        "bad_choice": "{value} cannot be chosen; choose from: {choices}.",
        "bad_bool": "{value} must be yes or no.",
        "bad_json": "The value cannot be read ({detail}).",
        "unknown_field": "Unknown field {value}; check the spelling.",
        "duplicate_id": "Id {value} is used twice.",
        "unknown_unit": "Unknown responsible unit {value}. Units of the plan: {known}.",
        "unknown_principle": "Unknown principle {value}.",
        "period_order": "The period ends ({value}) before it starts.",
        "bad_timeline": ("The timeline {value} cannot be read. Write e.g. 2023, 2022-2023, "
                         "Årligen, Löpande, Vid behov, 2022 och framåt, a date 2025-03-31 or "
                         "a range 2025-09-01..2025-11-30."),
        "too_many_rrules": "Too many different RRULE timelines in one plan; write the others "
                           "in words.",
        "invalid": "Invalid value ({detail}).",
    },
}

WHERE = {
    "sv": {"sheet_row_column": "{sheet}, rad {row}, kolumn {column}",
           "sheet_row": "{sheet}, rad {row}", "sheet": "{sheet}", "field": "{field}"},
    "en": {"sheet_row_column": "{sheet}, row {row}, column {column}",
           "sheet_row": "{sheet}, row {row}", "sheet": "{sheet}", "field": "{field}"},
}

PROBLEMS["sv"].update({
    "unknown_owner": ("Ansvarig {value} finns inte bland planens enheter (liknar: {known}). "
                      "Välj en enhet eller skapa en ny."),
    "unknown_party": ("Vilken part har åtagit sig {value}? Ange part för tabellen (kolumnen "
                      "Part eller i mappningen)."),
    "no_activities": "Filen har ingen tabell med en kolumn för aktiviteter.",
    "unknown_commitment": "Åtagandet {value} finns inte i arbetsboken.",
    "wrong_plan": "Filen gäller planen {value}, inte den här planen.",
    "yaml_error": "Rad {row}: {detail}",
})
PROBLEMS["en"].update({
    "unknown_owner": ("Responsible {value} is not one of the plan's units (similar: {known}). "
                      "Choose a unit or create a new one."),
    "unknown_party": ("Which party has committed to {value}? Give the table's party (a Party "
                      "column or in the mapping)."),
    "no_activities": "The file has no table with a column of activities.",
    "unknown_commitment": "The commitment {value} is not in the workbook.",
    "wrong_plan": "The file is for the plan {value}, not this one.",
    "yaml_error": "Line {row}: {detail}",
})
for _language, _words in (("sv", {"table": "Tabell {index}", "table_named": "Tabell {index} "
                                  "({name})", "list": "Punktlistor"}),
                          ("en", {"table": "Table {index}", "table_named": "Table {index} "
                                  "({name})", "list": "Bullet lists"})):
    WHERE[_language].update(_words)
