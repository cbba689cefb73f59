"""What changed between two versions of a plan, item by item and field by
field: activities by id, units by id (with their contacts), commitments,
principles and the plan's own settings. Pure: used for revision history,
`sync` refusals, conflicts and import previews alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from lokflow.domain.plan_document import PlanDocument

Kind = Literal["added", "removed", "changed"]
Section = Literal["plan", "unit", "principle", "commitment", "activity"]
SECTIONS: tuple[Section, ...] = ("plan", "unit", "principle", "commitment", "activity")
_ITEMS = {"unit": "units", "principle": "principles", "commitment": "commitments"}


@dataclass(frozen=True)
class Change:
    """One difference; `field` is dotted (`contacts[0].email`), '' for a whole item."""

    kind: Kind
    section: Section
    key: str
    field: str = ""
    old: Any = None
    new: Any = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(**data)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested JSON -> {dotted path: leaf}; a list of plain values stays one leaf."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, inner in value.items():
            found.update(flatten(inner, f"{prefix}.{key}" if prefix else key))
        return found
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        found = {}
        for index, inner in enumerate(value):
            found.update(flatten(inner, f"{prefix}[{index}]"))
        return found
    return {prefix: value}


def raw_items(data: dict[str, Any]) -> dict[Section, dict[str, dict[str, Any]]]:
    """Each section's items by key, as they are in the plan's JSON (not flattened)."""
    settings = {k: v for k, v in data.items() if k not in ("units", "principles", "commitments")}
    items: dict[Section, dict[str, dict[str, Any]]] = {"plan": {"": settings}}
    for section, name in _ITEMS.items():
        items[section] = {item["id"]: {k: v for k, v in item.items() if k != "activities"}  # type: ignore[index]
                          for item in data.get(name, [])}
    items["activity"] = {a["id"]: {"commitment": c["id"], **a}
                         for c in data.get("commitments", []) for a in c.get("activities", [])}
    return items


def keyed_items(data: dict[str, Any]) -> dict[Section, dict[str, dict[str, Any]]]:
    """Each section's items by key, as flat field maps (a plan as JSON data)."""
    return {section: {key: flatten(item) for key, item in found.items()}
            for section, found in raw_items(data).items()}


def diff_data(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """Every difference from `old` to `new` (plan JSON data), in plan order. Items
    are compared whole first: only those that differ are taken apart."""
    before = raw_items(old) if old is not None else {s: {} for s in SECTIONS}
    after = raw_items(new)
    changes: list[Change] = []
    for section in SECTIONS:
        changes.extend(_section(section, before.get(section, {}), after.get(section, {})))
    if old is not None and _order(old) != _order(new) and set(_order(old)) == set(_order(new)):
        changes.append(Change("changed", "plan", "", "order", None, None))
    return changes


def diff_plans(old: PlanDocument | None, new: PlanDocument) -> list[Change]:
    return diff_data(old.model_dump(mode="json") if old else None, new.model_dump(mode="json"))


def _order(data: dict[str, Any]) -> list[str]:
    return [a["id"] for c in data.get("commitments", []) for a in c.get("activities", [])]


def _section(section: Section, before: dict[str, dict[str, Any]],
             after: dict[str, dict[str, Any]]) -> Iterator[Change]:
    for key, item in after.items():
        if key not in before:
            yield Change("added", section, key, "", None, _summary(item))
            continue
        if before[key] == item:
            continue
        fields, old_fields = flatten(item), flatten(before[key])
        for name in [*fields, *(n for n in old_fields if n not in fields)]:
            old_value, new_value = old_fields.get(name), fields.get(name)
            if old_value != new_value:
                yield Change("changed", section, key, name, old_value, new_value)
    for key, item in before.items():
        if key not in after:
            yield Change("removed", section, key, "", _summary(item), None)


def _summary(fields: dict[str, Any]) -> str:
    """What names an added or removed item: its name or text."""
    for name in ("name", "text"):
        if isinstance(fields.get(name), str):
            return str(fields[name])
    return ""


def changed_keys(changes: list[Change], section: Section) -> list[str]:
    seen: dict[str, None] = {}
    for change in changes:
        if change.section == section:
            seen.setdefault(change.key, None)
    return list(seen)


@dataclass
class Summary:
    """Changes grouped the way a preview shows them."""

    added: list[Change]
    changed: dict[tuple[str, str], list[Change]]
    removed: list[Change]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def summarise(changes: list[Change]) -> Summary:
    changed: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        if change.kind == "changed":
            changed.setdefault((change.section, change.key), []).append(change)
    return Summary([c for c in changes if c.kind == "added"], changed,
                   [c for c in changes if c.kind == "removed"])
