"""Forms for any part of a plan, built from the plan models: a text box per
text, a list per choice, a box of lines per list, a group of fields per
nested part, one group per item of a list (plus an empty one to add, and a
box to remove). The same walk reads the posted form back into plan data, so
every field, also ones added later, can be edited without a form of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotated_types import MaxLen
from pydantic import BaseModel

from lokflow.plans.model_fields import FieldKind, field_kinds
from lokflow.plans.workbook_cells import CellProblem, mapping_lines, read_mapping

REMOVE = "__remove"
LONG_TEXT = 300


@dataclass
class FormField:
    name: str
    key: str
    widget: str
    value: Any = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    error: str | None = None
    children: list[FormField] = field(default_factory=list)
    items: list[list[FormField]] = field(default_factory=list)
    item_names: list[str] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        """Whether anything in it has a value or an error (an optional part opens)."""
        return bool(self.value or self.error or any(c.filled for c in self.children)
                    or any(c.filled for items in self.items[:-1] for c in items))

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def _max_length(model: type[BaseModel], name: str) -> int | None:
    for meta in model.model_fields[name].metadata:
        if isinstance(meta, MaxLen):
            return meta.max_length
        limit = getattr(meta, "max_length", None)
        if isinstance(limit, int):
            return limit
    annotation = model.model_fields[name].annotation
    for meta in getattr(annotation, "__metadata__", ()):
        limit = getattr(meta, "max_length", None)
        if isinstance(limit, int):
            return limit
    return None


def _widget(model: type[BaseModel], kind: FieldKind) -> str:
    if kind.shape == "mapping":
        return "mapping"  # 'name: value' lines
    if kind.choices and kind.shape == "list":
        return "checks"  # a checkbox per choice
    if kind.choices:
        return "select"
    if kind.base is bool:
        return "bool"
    if kind.base is int:
        return "numbers" if kind.shape == "list" else "number"
    if kind.name in ("owners", "timeline", "principle"):
        return kind.name  # a unit per checkbox; live-checked; the plan's principles
    if kind.shape == "list":
        return "lines"
    limit = _max_length(model, kind.name)
    return "textarea" if limit is not None and limit > LONG_TEXT else "text"


def build_fields(model: type[BaseModel], data: dict[str, Any] | None, prefix: str = "",
                 skip: frozenset[str] = frozenset(),
                 errors: dict[str, str] | None = None) -> list[FormField]:
    """The fields of `model` filled from `data` (plan JSON), named by dotted path."""
    data, errors = data or {}, errors or {}
    found = []
    for kind in field_kinds(model):
        name = f"{prefix}{kind.name}"
        if name in skip:
            continue
        value = data.get(kind.name)
        if kind.shape == "model":
            found.append(FormField(name, kind.name, "fieldset", required=kind.required,
                                   error=errors.get(name), children=build_fields(
                                       kind.base, value, f"{name}.", skip, errors)))
        elif kind.shape == "models":
            found.append(_group(kind, name, value or [], skip, errors))
        else:
            found.append(FormField(name, kind.name, _widget(model, kind), _shown(kind, value),
                                   kind.choices, kind.required and not kind.optional,
                                   errors.get(name)))
    return found


def _group(kind: FieldKind, name: str, values: list[Any], skip: frozenset[str],
           errors: dict[str, str]) -> FormField:
    group = FormField(name, kind.name, "group", required=kind.required, error=errors.get(name))
    for index, item in enumerate([*values, None]):
        item_name = f"{name}.{index}"
        group.items.append(build_fields(kind.base, item, f"{item_name}.", skip, errors))
        group.item_names.append(item_name)
    return group


def _shown(kind: FieldKind, value: Any) -> Any:
    if value is None:
        return ""
    if kind.shape == "mapping":  # the posted text itself when it could not be read
        return mapping_lines(value) if isinstance(value, dict) else str(value)
    if kind.shape == "list":
        return ", ".join(str(v) for v in value) if kind.base is int else "\n".join(value)
    if kind.base is bool:
        return "true" if value else "false"
    return str(value)


Posted = dict[str, list[str]]


def read_fields(model: type[BaseModel], posted: Posted, prefix: str = "",
                skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The posted values of `model`'s fields as plan JSON; empty ones left out
    (so the model's default applies), lists of items read until the first gap."""
    data: dict[str, Any] = {}
    for kind in field_kinds(model):
        name = f"{prefix}{kind.name}"
        if name in skip:
            continue
        if kind.shape == "model":
            inner = read_fields(kind.base, posted, f"{name}.", skip)
            if inner:
                data[kind.name] = inner
        elif kind.shape == "models":
            items = _read_items(kind, posted, name, skip)
            if items or f"{name}.0.{REMOVE}" in posted:
                data[kind.name] = items
        else:
            value = _value(kind, posted.get(name, []))
            if value is not None:
                data[kind.name] = value
    return data


def _read_items(kind: FieldKind, posted: Posted, name: str,
                skip: frozenset[str]) -> list[Any]:
    items = []
    for index in range(500):
        item_name = f"{name}.{index}"
        if not any(key.startswith(f"{item_name}.") for key in posted):
            break
        if posted.get(f"{item_name}.{REMOVE}"):
            continue
        item = read_fields(kind.base, posted, f"{item_name}.", skip)
        if item:
            items.append(item)
    return items


def _value(kind: FieldKind, values: list[str]) -> Any:
    if kind.shape == "mapping":
        return _mapping("\n".join(values))
    if kind.shape == "list":
        if kind.name == "owners" or kind.choices:  # checkboxes: one value each
            return [v for v in values if v.strip()] or None
        text = "\n".join(values)
        separator = "," if kind.base is int else "\n"
        items = [part.strip() for part in text.replace("\r\n", "\n").split(separator)]
        items = [part for part in items if part]
        if kind.base is int:
            return [int(p) if p.isascii() and p.lstrip("-").isdigit() else p
                    for p in items] or None
        return items or None
    text = (values[0] if values else "").replace("\r\n", "\n").strip()
    if not text:
        return None
    if kind.base is bool:
        return text == "true"
    if kind.base is int and text.isascii() and text.lstrip("-").isdigit():
        return int(text)
    return text


def _mapping(text: str) -> Any:
    """The lines as names and values; text that is not such lines is kept as it
    is, so the plan's check names the field."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return None
    try:
        return read_mapping(text)
    except CellProblem:
        return text
