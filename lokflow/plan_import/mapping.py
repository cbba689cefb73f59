"""The small mapping file that overrides what column detection guessed:

    columns: {"Vad ska göras": text, "Vem": owners, D: timeline}
    header_row: 2                    # 1-based; default: found
    tables: [Aktiviteter]            # sheets/tables to read; default: all usable
    party: municipality              # or per table:
    parties: {"Föreningarna": civil_society}
    owners: {"Kultur och fritid": kultur, "Nya rådet": new}   # 'new' creates a unit
    defaults: {timeline: Löpande}    # for empty cells
    archive_missing: true            # activities missing from the file are archived

The web editor's mapping step builds the same object from its form."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lokflow.domain.plan_document import Party
from lokflow.plan_import.columns import ROLES

MAX_MAPPING_BYTES = 64 * 1024
NEW_UNIT = "new"
Role = Literal["id", "number", "commitment", "party", "text", "owners", "executor",
               "partners", "timeline", "timeline_note", "note", "kind", "ignore"]
assert set(ROLES) < set(Role.__args__)  # type: ignore[attr-defined]


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, Role] = Field(default_factory=dict, max_length=100)
    header_row: int | None = Field(default=None, ge=1, le=50)
    tables: list[str] = Field(default_factory=list, max_length=100)
    party: Party | None = None
    parties: dict[str, Party] = Field(default_factory=dict, max_length=100)
    owners: dict[str, str] = Field(default_factory=dict, max_length=2000)
    defaults: dict[Literal["timeline", "owners", "party"], str] = Field(default_factory=dict)
    archive_missing: bool = True


class MappingError(ValueError):
    """The mapping file cannot be used; the message says why (English, CLI)."""


def read_mapping(path: Path) -> Mapping:
    try:
        raw = path.read_bytes()[: MAX_MAPPING_BYTES + 1]
    except OSError as error:
        raise MappingError(f"{path}: cannot read ({error.strerror})") from None
    if len(raw) > MAX_MAPPING_BYTES:
        raise MappingError(f"{path}: a mapping file may be at most 64 KB")
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
        return Mapping.model_validate(data)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise MappingError(f"{path}: not YAML ({error})") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MappingError(f"{path}: {where}: {first['msg']}") from None
