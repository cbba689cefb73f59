"""Schema checks of a plan document that keep a bounded number of errors.

pydantic collects every error of a document at once: a 1 MB file of 100,000
empty activities gave 400,000 errors and 460 MB. Here each nested model (a
commitment, an activity, a unit ...) is checked on its own, its parent with
stand-ins in its place, so that errors beyond `limit` are only counted.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from lokflow.domain.plan_document import PlanDocument

Loc = tuple[str | int, ...]


@dataclass
class SchemaErrors:
    """The first `limit` errors (pydantic's dicts, located from the document root)."""

    limit: int
    kept: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add(self, error: ValidationError, at: Loc) -> None:
        self.count += error.error_count()
        room = self.limit - len(self.kept)
        if room > 0:
            for item in error.errors(include_url=False)[:room]:
                self.kept.append({**item, "loc": (*at, *item["loc"])})


def validate_plan(data: dict[str, Any], limit: int) -> PlanDocument | SchemaErrors:
    """The document, or its errors: at most `limit` kept, all counted."""
    errors = SchemaErrors(limit)
    document = _validate(PlanDocument, data, (), errors)
    if errors.count or document is None:
        return errors
    assert isinstance(document, PlanDocument)
    return document


def _validate(model: type[BaseModel], data: Any, at: Loc, errors: SchemaErrors) -> Any:
    """`data` as `model`, or None after adding its errors (its own first, then nested)."""
    if not isinstance(data, dict):
        return _checked(model, data, at, errors)
    nested = _nested(model)
    stand_ins = {name: _stand_in(sub, data[name], many)
                 for name, (sub, many) in nested.items() if name in data}
    failed = _checked(model, {**data, **stand_ins}, at, errors) is None
    built: dict[str, Any] = {}
    for name, (sub, many) in nested.items():
        value = data.get(name)
        if many and isinstance(value, list):
            items = [_validate(sub, item, (*at, name, i), errors) if isinstance(item, dict)
                     else None for i, item in enumerate(value)]
            failed |= any(item is None for item in items)
            built[name] = items
        elif not many and isinstance(value, dict):
            built[name] = _validate(sub, value, (*at, name), errors)
            failed |= built[name] is None
    return None if failed else _checked(model, {**data, **built}, at, errors)


def _checked(model: type[BaseModel], data: Any, at: Loc, errors: SchemaErrors) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors.add(error, at)
        return None


def _stand_in(model: type[BaseModel], value: Any, many: bool) -> Any:
    """What the parent sees in place of a nested mapping: an unchecked instance,
    which pydantic accepts as it is (anything else stays, to be reported)."""
    if many and isinstance(value, list):
        return [_blank(model) if isinstance(v, dict) else v for v in value]
    return _blank(model) if isinstance(value, dict) else value


@cache
def _blank(model: type[BaseModel]) -> BaseModel:
    return model.model_construct()


@cache
def _nested(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel], bool]]:
    """Fields of `model` that hold a model or a list of models (optional or not)."""
    found = {}
    for name, info in model.model_fields.items():
        for option in _options(info.annotation):
            many = get_origin(option) is list
            inner = get_args(option)[0] if many else option
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                found[name] = (inner, many)
    return found


def _options(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)
