"""Words of the LÖK follow-up that several places share (the annual report,
the assessment page, the public page): the assessment scale and the state
of a joint activity waiting for the other party."""

from __future__ import annotations

SCALE_WORDS: dict[str, dict[int, str]] = {
    "sv": {1: "fungerar inte", 2: "fungerar delvis", 3: "fungerar till stor del",
           4: "fungerar väl"},
    "en": {1: "not working", 2: "partly working", 3: "largely working", 4: "working well"},
}

FOLLOW_UP_WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "party_municipality": "kommunen",
        "party_civil_society": "civilsamhället",
        "joint_waiting": "klar enligt {done_by}, väntar på {waiting_for}",
        "scale_step": "{step} – {words}",
        "overall": "Överenskommelsen som helhet",
    },
    "en": {
        "party_municipality": "the municipality",
        "party_civil_society": "civil society",
        "joint_waiting": "done according to {done_by}, waiting for {waiting_for}",
        "scale_step": "{step} – {words}",
        "overall": "The agreement as a whole",
    },
}


def _words(language: str) -> dict[str, str]:
    return FOLLOW_UP_WORDS.get(language, FOLLOW_UP_WORDS["sv"])


def scale_text(step: int, language: str) -> str:
    """'3 – fungerar till stor del'."""
    words = SCALE_WORDS.get(language, SCALE_WORDS["sv"])[step]
    return _words(language)["scale_step"].format(step=step, words=words)


def joint_waiting_text(done_by: str, waiting_for: str, language: str) -> str:
    """'Klar enligt kommunen, väntar på civilsamhället' (capitalised)."""
    w = _words(language)
    text = w["joint_waiting"].format(done_by=w[f"party_{done_by}"],
                                     waiting_for=w[f"party_{waiting_for}"])
    return text[:1].upper() + text[1:]


def overall_title(language: str) -> str:
    return _words(language)["overall"]
