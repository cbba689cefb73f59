"""Imported rows merged into a plan: each row becomes an activity, matched to
the plan's own by id, by party and number, or by text (so its history stays
attached); commitments from headings; owners matched to units. What the file
does not hold is archived (unless the mapping says not to). The result is
checked by the plan rules; every problem names its table, row and column."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lokflow.domain.plan_document import PlanDocument
from lokflow.domain.plan_rules import violations
from lokflow.plan_import.columns import normal
from lokflow.plan_import.mapping import NEW_UNIT, Mapping
from lokflow.plan_import.owners import OwnerMatcher, new_unit_id
from lokflow.plan_import.rows import ImportRow
from lokflow.plans.plan_messages import Place, Problem, rule_problems, schema_problem
from lokflow.plans.plan_validation import SchemaErrors, validate_plan
from lokflow.texts.import_words import FOLLOW_UP_VALUES

MAX_PROBLEMS = 100
_PREFIXES = {"municipality": "kommun", "civil_society": "cs", "joint": "gem"}
_KEY_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_SPLIT = re.compile(r"[;\n]|,(?![^(]*\))")
_FOLLOW_UP = frozenset(normal(value) for value in FOLLOW_UP_VALUES)


@dataclass
class UnknownOwner:
    written: str
    suggestions: list[tuple[str, str]]
    """(unit id, unit name) most like it."""
    places: list[Place] = field(default_factory=list)


@dataclass
class Built:
    document: PlanDocument | None
    problems: list[Problem] = field(default_factory=list)
    similar: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[UnknownOwner] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)


class _Merge:
    def __init__(self, base: PlanDocument, mapping: Mapping) -> None:
        self.base = base.model_dump(mode="json")
        self.mapping = mapping
        self.units = list(self.base["units"])
        self.matcher = OwnerMatcher(base.units, {k: v for k, v in mapping.owners.items()
                                                 if v != NEW_UNIT})
        self.built = Built(None)
        self.unknown: dict[str, UnknownOwner] = {}
        self.places: dict[tuple[str | int, ...], Place] = {}
        self.taken = {a["id"] for c in self.base["commitments"] for a in c["activities"]}
        self.commitment_ids = {c["id"] for c in self.base["commitments"]}
        self.unit_ids = {u["id"] for u in self.units}
        self.commitments: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.fallback: dict[tuple[str, str], str] = {}
        self._new_units(mapping)
        self._index()

    def _new_units(self, mapping: Mapping) -> None:
        """Owners the mapping says to create become units (no contacts yet)."""
        for name, target in mapping.owners.items():
            if target == NEW_UNIT and self.matcher.closest(name)[1] < 1.0:
                key = new_unit_id(name, self.unit_ids)
                self.units.append({"id": key, "name": name[:300], "contacts": []})
                self.built.new_units.append(key)
                self.matcher.told[normal(name)] = key

    # -- existing parts -------------------------------------------------------
    def _index(self) -> None:
        """The plan's activities by id, by (party, number) and by text, once."""
        self.by_id: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.by_number: dict[tuple[str, str], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        self.by_text: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        for commitment in self.base["commitments"]:
            for activity in commitment["activities"]:
                pair = (commitment, activity)
                self.by_id[activity["id"]] = pair
                party = activity.get("party") or commitment["party"]
                if activity.get("number"):
                    self.by_number.setdefault((party, _number(activity["number"])),
                                              []).append(pair)
                    self.by_number.setdefault(("", _number(activity["number"])),
                                              []).append(pair)
                self.by_text.setdefault(normal(activity["text"]), []).append(pair)

    def _existing(self, row: ImportRow) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The plan's activity this row is: by id, by party and number, or by text."""
        values = row.values
        candidates = []
        if values.get("id") in self.by_id:
            candidates.append(self.by_id[values["id"]])
        if values.get("number"):
            candidates += self.by_number.get((row.party or "", _number(values["number"])), [])
        candidates += self.by_text.get(normal(values.get("text", "")), [])
        for commitment, activity in candidates:
            if activity["id"] not in self.used:
                return commitment, activity
        return None, None

    # -- rows -> activities ---------------------------------------------------
    def add(self, row: ImportRow) -> None:
        base_commitment, base_activity = self._existing(row)
        party = (row.party or (base_commitment["party"] if base_commitment else None)
                 or self.mapping.defaults.get("party"))
        if party not in _PREFIXES:
            self._problem("unknown_party", row, "text", row.values.get("text", ""))
            return
        commitment = self._commitment(row, party, base_commitment)
        activity = dict(base_activity) if base_activity else {}
        if base_activity:
            self.used.add(base_activity["id"])
        else:
            activity["id"] = self._new_id(party, row)
        self._fill(activity, row)
        commitment["activities"].append((activity, row))

    def _fill(self, activity: dict[str, Any], row: ImportRow) -> None:
        values = row.values
        for role in ("number", "text", "executor", "timeline_note", "note"):
            if role in values:
                activity[role] = values[role]
        timeline = values.get("timeline") or self.mapping.defaults.get("timeline")
        if timeline:
            activity["timeline"] = timeline
        if normal(values.get("kind", "")) in _FOLLOW_UP:
            activity["kind"] = "follow_up"
        if "partners" in values:
            activity["partners"] = [p.strip() for p in _SPLIT.split(values["partners"])
                                    if p.strip()]
        written = values.get("owners") or self.mapping.defaults.get("owners")
        if written:
            activity["owners"] = self._owners(written, row)
            names = ", ".join(self._unit_name(k) for k in activity["owners"])
            if "owners" in values and normal(values["owners"]) != normal(names):
                activity["responsible_as_written"] = values["owners"]  # said otherwise

    def _unit_name(self, key: str) -> str:
        return next((u["name"] for u in self.units if u["id"] == key), key)

    def _owners(self, written: str, row: ImportRow) -> list[str]:
        found = self.matcher.match(written)
        self.built.similar.extend(s for s in found.similar if s not in self.built.similar)
        for name in found.unknown:
            entry = self.unknown.setdefault(name, UnknownOwner(name, [
                (key, self._unit_name(key)) for key, _ in self.matcher.suggestions(name)]))
            entry.places.append(Place(row.table, row.row, row.columns.get("owners", "")))
        if found.unknown and not found.keys and self.units:
            # reported already; a stand-in lets the other checks of the row run
            return [self.units[0]["id"]]
        return found.keys

    def _commitment(self, row: ImportRow, party: str,
                    base: dict[str, Any] | None) -> dict[str, Any]:
        heading = row.heading
        found = None
        if heading is not None:
            found = next((c for c in self.base["commitments"] if c["party"] == party and (
                (heading.number and c.get("number")
                 and _number(c["number"]) == _number(heading.number))
                or normal(c["text"]) == normal(heading.text))), None)
        elif base is not None:
            found = base
        if found is not None:
            key = found["id"]
            start = {k: v for k, v in found.items() if k != "activities"}
        elif heading is not None:
            key = self._new_commitment_id(party, heading.number)
            start = {"id": key, "party": party, "text": heading.text,
                     **({"number": heading.number} if heading.number else {})}
        else:
            key = self.fallback.get((party, row.table)) or self._new_commitment_id(party, None)
            self.fallback[(party, row.table)] = key
            start = {"id": key, "party": party, "text": row.table}
        if heading is not None and found is not None:
            start["text"] = heading.text if not heading.number or len(heading.text) > 3 else (
                start["text"])
        entry = self.commitments.setdefault(key, {**start, "activities": []})
        return entry

    # -- new ids -----------------------------------------------------------------
    def _prefix(self, party: str) -> str:
        heads = Counter(a["id"].split("-")[0] for c in self.base["commitments"]
                        if c["party"] == party for a in c["activities"] if "-" in a["id"])
        return heads.most_common(1)[0][0] if heads else _PREFIXES[party]

    def _new_id(self, party: str, row: ImportRow) -> str:
        number = _KEY_CHARS.sub("-", row.values.get("number", "")).strip("-.")
        return _unique(f"{self._prefix(party)}-{number or 'r' + str(row.row)}"[:60], self.taken)

    def _new_commitment_id(self, party: str, number: str | None) -> str:
        tail = _KEY_CHARS.sub("-", number or "").strip("-.") or "t"
        return _unique(f"{self._prefix(party)}-{tail}"[:60], self.commitment_ids)

    def _problem(self, code: str, row: ImportRow, role: str, value: str) -> None:
        self.built.problems.append(Problem(code, (), {"value": f"”{value[:60]}”"},
                                           Place(row.table, row.row, row.columns.get(role, ""))))


    # -- the document ------------------------------------------------------------
    def finish(self) -> Built:
        data = dict(self.base)
        data["units"] = self.units
        commitments = list(self.commitments.values())
        if not self.mapping.archive_missing:
            self._keep_missing(commitments)
        data["commitments"] = []
        for ci, entry in enumerate(commitments):
            activities = []
            for ai, (activity, row) in enumerate(entry.pop("activities")):
                self._place(("commitments", ci, "activities", ai), row)
                self.places.setdefault(("commitments", ci), Place(row.table, row.row))
                activities.append(activity)
            data["commitments"].append({**entry, "activities": activities})
        for unknown in self.unknown.values():
            hint = ", ".join(name for _, name in unknown.suggestions) or "–"
            for place in unknown.places:
                self.built.problems.append(Problem("unknown_owner", (), {
                    "value": f"”{unknown.written[:60]}”", "known": hint}, place))
        self.built.unknown = list(self.unknown.values())
        self._check(data)
        self.built.problems = self.built.problems[:MAX_PROBLEMS]
        return self.built

    def _keep_missing(self, commitments: list[dict[str, Any]]) -> None:
        by_id = {c["id"]: c for c in commitments}
        for commitment in self.base["commitments"]:
            kept = [a for a in commitment["activities"] if a["id"] not in self.used]
            if not kept:
                continue
            if commitment["id"] not in by_id:
                by_id[commitment["id"]] = {**commitment, "activities": []}
                commitments.append(by_id[commitment["id"]])
            by_id[commitment["id"]]["activities"].extend((a, None) for a in kept)

    def _place(self, path: tuple[str | int, ...], row: ImportRow | None) -> None:
        if row is None:
            return
        self.places[path] = Place(row.table, row.row)
        for role, column in row.columns.items():
            self.places[(*path, role)] = Place(row.table, row.row, column)

    def _check(self, data: dict[str, Any]) -> None:
        document = validate_plan(data, MAX_PROBLEMS)
        if isinstance(document, SchemaErrors):
            found = [schema_problem(item) for item in document.kept]
        else:
            found = rule_problems(v for _, v in zip(range(MAX_PROBLEMS), violations(document),
                                                    strict=False))
            if not found:
                self.built.document = None if self.built.problems else document
                return
        taken = {p.place for p in self.built.problems}  # an unknown owner is said once
        placed = (p.at(self._where(p.path)) for p in found)
        self.built.problems.extend(p for p in placed if p.place not in taken)
        if self.built.problems:
            self.built.document = None

    def _where(self, path: tuple[str | int, ...]) -> Place:
        for end in range(len(path), -1, -1):
            if path[:end] in self.places:
                place = self.places[path[:end]]
                return place if end == len(path) else Place(place.sheet, place.row)
        return Place()


def _number(text: str) -> str:
    return text.strip().rstrip(".").strip()


def _unique(key: str, taken: set[str]) -> str:
    found, n = key, 2
    while found in taken:
        found, n = f"{key}-{n}", n + 1
    taken.add(found)
    return found


def build_plan(base: PlanDocument, rows: list[ImportRow], mapping: Mapping) -> Built:
    """`base` with the imported rows merged in, or the problems that stop it."""
    merge = _Merge(base, mapping)
    for row in rows:
        merge.add(row)
    return merge.finish()
