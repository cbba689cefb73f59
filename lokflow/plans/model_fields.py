"""What kind of value each field of a plan model holds, read from the pydantic
models themselves, so that workbooks, forms and imports handle every field
(also ones added later) without a list of their own."""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


@dataclass(frozen=True)
class FieldKind:
    """`shape`: 'scalar', 'list' (of scalars), 'mapping' (names to scalars),
    'model' or 'models' (a list of them).
    `base`: str, int, bool, date, an Enum, Literal choices, or the model class."""

    name: str
    shape: str
    base: Any
    required: bool
    optional: bool

    @property
    def choices(self) -> tuple[str, ...]:
        if isinstance(self.base, type) and issubclass(self.base, Enum):
            return tuple(str(m.value) for m in self.base)
        if get_origin(self.base) is Literal:
            return tuple(str(v) for v in get_args(self.base))
        return ()


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without Annotated and None, whether None is allowed)."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(options) < len(get_args(annotation))
            annotation = options[0]
        else:
            return annotation, optional


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


@cache
def field_kinds(model: type[BaseModel]) -> tuple[FieldKind, ...]:
    found = []
    for name, info in model.model_fields.items():
        base, optional = _unwrap(info.annotation)
        if get_origin(base) is list:
            inner, _ = _unwrap(get_args(base)[0])
            shape = "models" if _is_model(inner) else "list"
            base = inner
        elif get_origin(base) is dict:
            shape, base = "mapping", _unwrap(get_args(base)[1])[0]
        else:
            shape = "model" if _is_model(base) else "scalar"
        found.append(FieldKind(name, shape, base, info.is_required(), optional))
    return tuple(found)


def kind_of(model: type[BaseModel], name: str) -> FieldKind:
    for kind in field_kinds(model):
        if kind.name == name:
            return kind
    raise KeyError(name)


def is_number(kind: FieldKind) -> bool:
    return kind.base is int


def is_date(kind: FieldKind) -> bool:
    return kind.base is date
