"""An activity's readable label for people: "Kommunen 1.1", not `kommun-1.1`.

Temporary: branch `owners` adds the shared label function in
`lokflow/plans/activity_names.py` (with plan-specific party names). When it
lands, the annual report and the public page should call that one instead.
Pure: the annual report labels its stored snapshot with it."""

from __future__ import annotations

from lokflow.texts.vocabulary import PARTY_LABELS


def activity_label(party: str, number: str | None, key: str, language: str) -> str:
    """The party's name and the source's number; the id where there is no number."""
    number = (number or "").strip()
    if not number:
        return key
    party_name = PARTY_LABELS.get(language, PARTY_LABELS["sv"]).get(party)
    return f"{party_name} {number}" if party_name else number
