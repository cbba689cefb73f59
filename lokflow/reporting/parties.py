"""Which side of the agreement a unit, and so a person, speaks for.

A unit's own `party` decides; otherwise its kind does: the municipality and
its departments speak for the municipality; associations, councils and
networks for civil society; collective and external units for nobody until
the plan says (`party:`), because "Alla föreningar" and "Alla förvaltningar"
are both collectives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MUNICIPALITY, CIVIL_SOCIETY, JOINT = "municipality", "civil_society", "joint"
BOTH = frozenset({MUNICIPALITY, CIVIL_SOCIETY})
KIND_PARTY = {"municipality": MUNICIPALITY, "department": MUNICIPALITY,
              "association": CIVIL_SOCIETY, "council": CIVIL_SOCIETY,
              "network": CIVIL_SOCIETY}


def unit_party(unit: dict[str, Any]) -> str | None:
    """The party of one unit of a plan document (its JSON form)."""
    chosen = unit.get("party")
    if chosen in BOTH:
        return str(chosen)
    return KIND_PARTY.get(str(unit.get("kind") or "department"))


def unit_parties(document: dict[str, Any]) -> dict[str, str | None]:
    """Every unit id of a plan document with its party."""
    return {str(u["id"]): unit_party(u) for u in document.get("units", [])}


def parties_of(unit_keys: Iterable[str], document: dict[str, Any]) -> frozenset[str]:
    """The parties the given units speak for."""
    known = unit_parties(document)
    return frozenset(p for key in unit_keys if (p := known.get(key)) is not None)


def other_party(party: str) -> str:
    return CIVIL_SOCIETY if party == MUNICIPALITY else MUNICIPALITY
