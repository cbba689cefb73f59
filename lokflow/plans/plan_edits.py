"""One part of a plan, edited on its own: the plan's settings, its follow-up
and policy, a unit with its contacts, a commitment, an activity. Each part is
read out of the plan's JSON for a form and merged back into a whole new
document, which then goes through the same checks and the same revision as a
plan file."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from lokflow.domain.plan_document import Activity, Commitment, PlanDocument, Unit
from lokflow.domain.plan_rules import violations
from lokflow.plans.plan_messages import Loc, Problem, rule_problems, schema_problem
from lokflow.plans.plan_validation import SchemaErrors, validate_plan

KINDS = ("settings", "follow_up", "unit", "commitment", "activity")
_SETTINGS_SKIP = frozenset({"lokflow", "slug", "organisation.slug", "units", "commitments",
                            "follow_up", "policy"})
_FOLLOW_UP_KEEP = ("follow_up", "policy")


class PartMissing(LookupError):
    """No unit, commitment or activity has that id."""


@dataclass(frozen=True)
class Part:
    """`key`: the unit, commitment or activity id; None for a new one (a new
    activity goes into the commitment `parent`)."""

    kind: str
    key: str | None = None
    parent: str | None = None

    @property
    def model(self) -> type[BaseModel]:
        found: dict[str, type[BaseModel]] = {"unit": Unit, "commitment": Commitment,
                                             "activity": Activity}
        return found.get(self.kind, PlanDocument)

    @property
    def skip(self) -> frozenset[str]:
        if self.kind == "settings":
            return _SETTINGS_SKIP
        if self.kind == "follow_up":
            return frozenset(n for n in PlanDocument.model_fields if n not in _FOLLOW_UP_KEEP)
        if self.kind == "commitment":
            return frozenset({"activities"})
        return frozenset()


def _find(data: dict[str, Any], part: Part) -> tuple[Loc, dict[str, Any] | None]:
    """Where the part is in the plan's JSON, and its data (None when new)."""
    if part.kind in ("settings", "follow_up"):
        return (), data
    if part.kind == "unit":
        return _indexed(data["units"], part.key, ("units",))
    if part.kind == "commitment":
        return _indexed(data["commitments"], part.key, ("commitments",))
    for ci, commitment in enumerate(data["commitments"]):
        for ai, activity in enumerate(commitment["activities"]):
            if activity["id"] == part.key:
                return ("commitments", ci, "activities", ai), activity
    if part.key is None and any(c["id"] == part.parent for c in data["commitments"]):
        ci = next(i for i, c in enumerate(data["commitments"]) if c["id"] == part.parent)
        return ("commitments", ci, "activities", len(data["commitments"][ci]["activities"])), None
    raise PartMissing(part.key or part.parent or "")


def _indexed(items: list[dict[str, Any]], key: str | None, at: Loc
             ) -> tuple[Loc, dict[str, Any] | None]:
    if key is None:
        return (*at, len(items)), None
    for index, item in enumerate(items):
        if item["id"] == key:
            return (*at, index), item
    raise PartMissing(key)


def part_data(document: PlanDocument, part: Part) -> tuple[Loc, dict[str, Any]]:
    """(where the part is, its values for the form)."""
    at, found = _find(document.model_dump(mode="json"), part)
    return at, found or {}


def merge(document: PlanDocument, part: Part, values: dict[str, Any],
          remove: bool = False) -> dict[str, Any]:
    """The whole plan's JSON with the part replaced by `values` (or removed)."""
    data = copy.deepcopy(document.model_dump(mode="json"))
    at, found = _find(data, part)
    if part.kind in ("settings", "follow_up"):
        kept_slug = data["organisation"]["slug"]  # not on the form: never changed there
        for name in PlanDocument.model_fields:
            if name not in part.skip:
                data.pop(name, None)
        data.update(values)
        if part.kind == "settings":
            data["organisation"] = {**values.get("organisation", {}), "slug": kept_slug}
        return data
    container = _container(data, at)
    if part.kind == "commitment" and not remove:
        values = {**values, "activities": (found or {}).get("activities", [])}
    if remove:
        if found is not None:
            del container[at[-1]]  # type: ignore[arg-type]
    elif found is None:
        container.append(values)
    else:
        container[at[-1]] = values  # type: ignore[index]
    if part.kind == "unit" and found is not None and not remove:
        _rename_owner(data, str(found["id"]), str(values.get("id", found["id"])))
    return data


def _container(data: dict[str, Any], at: Loc) -> list[Any]:
    node: Any = data
    for step in at[:-1]:
        node = node[step]
    assert isinstance(node, list)
    return node


def _rename_owner(data: dict[str, Any], old: str, new: str) -> None:
    """A unit's new id follows into every activity it owns."""
    if old == new:
        return
    for commitment in data["commitments"]:
        for activity in commitment["activities"]:
            activity["owners"] = [new if o == old else o for o in activity.get("owners", [])]


def move_activity(data: dict[str, Any], key: str, commitment: str) -> dict[str, Any]:
    """The activity moved to the end of another commitment."""
    moving = None
    for item in data["commitments"]:
        for activity in list(item["activities"]):
            if activity["id"] == key and item["id"] != commitment:
                item["activities"].remove(activity)
                moving = activity
    for item in data["commitments"]:
        if item["id"] == commitment and moving is not None:
            item["activities"].append(moving)
    return data


def checked(data: dict[str, Any], limit: int = 100) -> PlanDocument | list[Problem]:
    """The document, or every problem (schema first, then the plan rules)."""
    document = validate_plan(data, limit)
    if isinstance(document, SchemaErrors):
        return [schema_problem(item) for item in document.kept]
    found = rule_problems(v for _, v in zip(range(limit), violations(document), strict=False))
    return found or document
