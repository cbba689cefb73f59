"""How a person reads an activity's name: "Kommunen 2.2", "Civilsamhället 2.2".

Plans number the municipality's and civil society's tables separately (Tierp
has a "2.2" in both), so a bare number is ambiguous and an id such as
`civil-4.2` means nothing to a volunteer. Every page, email, feed and list
that names an activity to a person calls `activity_label`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lokflow.domain.plan_document import PlanDocument
from lokflow.store import tables as t
from lokflow.texts import known_language
from lokflow.texts.vocabulary import PARTY_LABELS

OwnNames = Mapping[str, Any] | None  # a plan's `party_names`: {party: its own name}


def party_name(names: OwnNames, party: str, language: str) -> str:
    """The plan's own name for a party (`party_names` in the plan file), else
    the common word ("Kommunen", "Civilsamhället", "Gemensamt")."""
    own = (names or {}).get(party)
    if own:
        return str(own)
    return PARTY_LABELS[known_language(language)].get(party, party)


def label_of(names: OwnNames, party: str, number: str | None, key: str,
             language: str) -> str:
    """"Kommunen 2.2"; the number without its trailing dot; the id if the plan
    gives no number (then it is the only name there is)."""
    shown = (number or "").strip().rstrip(".")
    if not shown:
        return key
    return f"{party_name(names, party, language)} {shown}"


def activity_label(activity: t.Activity, language: str) -> str:
    """The readable label of a loaded activity (its plan is loaded with it)."""
    return label_of(activity.plan.document.get("party_names"), activity.party,
                    activity.number, activity.key, language)


def labels_in(document: PlanDocument, language: str) -> dict[str, str]:
    """Every activity's label in a plan document, by activity id (for pages
    and reports made from a document rather than from loaded rows)."""
    names = document.party_names.model_dump() if document.party_names else None
    return {activity.id: label_of(names, activity.party or commitment.party, activity.number,
                                  activity.id, language)
            for commitment, activity in document.activities()}
