"""Problems of a plan as coordinators read them: each schema error (pydantic)
and rule violation (plan_rules) becomes a code with values, said in Swedish
or English (texts/plan_problems), with the place it was found: a sheet or
table, row and column, or a form field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lokflow.domain.plan_rules import RuleViolation
from lokflow.texts.plan_problems import PROBLEMS, WHERE

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Place:
    """Where a problem is: a sheet (or Word table) with row and column, or none."""

    sheet: str = ""
    row: int = 0
    column: str = ""

    def text(self, language: str) -> str:
        words = WHERE[language]
        if self.sheet and self.row and self.column:
            return words["sheet_row_column"].format(sheet=self.sheet, row=self.row,
                                                    column=self.column)
        if self.sheet and self.row:
            return words["sheet_row"].format(sheet=self.sheet, row=self.row)
        return self.sheet


@dataclass(frozen=True)
class Problem:
    code: str
    path: Loc = ()
    values: dict[str, str] = field(default_factory=dict)
    place: Place = Place()

    def message(self, language: str) -> str:
        values = {"value": "", "detail": "", "known": "", "choices": "", "limit": "",
                  "low": "", "high": "", "row": "", **self.values}
        return PROBLEMS[language].get(self.code, PROBLEMS[language]["invalid"]).format(**values)

    def text(self, language: str) -> str:
        where = self.place.text(language)
        return f"{where}: {self.message(language)}" if where else self.message(language)

    def at(self, place: Place) -> Problem:
        return Problem(self.code, self.path, self.values, place)


def _quoted(value: Any) -> str:
    text = str(value)
    return f"”{text[:60]}{'…' if len(text) > 60 else ''}”"


def schema_problem(item: dict[str, Any]) -> Problem:
    """One pydantic error (located from the document root)."""
    path = tuple(p for p in item["loc"] if isinstance(p, str | int))
    kind, message, ctx = item["type"], str(item.get("msg", "")), item.get("ctx") or {}
    value = _quoted(item.get("input")) if not isinstance(item.get("input"), dict) else ""
    if kind == "missing" or kind == "string_too_short":
        return Problem("missing", path)
    if kind == "too_short":
        return Problem("missing_items", path)
    if kind == "string_too_long":
        return Problem("too_long", path, {"limit": str(ctx.get("max_length", ""))})
    if kind == "string_pattern_mismatch":
        return Problem("bad_key", path, {"value": value})
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Problem("bad_number", path, {"value": value})
    if kind in ("greater_than_equal", "less_than_equal"):
        return Problem("out_of_range", path, _range(ctx, kind))
    if kind in ("enum", "literal_error"):
        return Problem("bad_choice", path, {"value": value, "choices": _choices(ctx)})
    if kind.startswith("date") or kind.startswith("datetime"):
        return Problem("bad_date", path, {"value": value})
    if kind.startswith("bool"):
        return Problem("bad_bool", path, {"value": value})
    if kind == "extra_forbidden":
        return Problem("unknown_field", path, {"value": _quoted(path[-1] if path else "")})
    if "email" in message:
        return Problem("bad_email", path, {"value": value})
    if "MM-DD" in message:
        return Problem("bad_month_day", path, {"value": value})
    if "cannot read the timeline" in message:
        return Problem("bad_timeline", path, {"value": value})
    return Problem("invalid", path, {"detail": message.removeprefix("Value error, ")[:200]})


def _range(ctx: dict[str, Any], kind: str) -> dict[str, str]:
    if kind == "greater_than_equal":
        return {"low": str(ctx.get("ge", "")), "high": "…"}
    return {"low": "…", "high": str(ctx.get("le", ""))}


def _choices(ctx: dict[str, Any]) -> str:
    return re.sub(r"'", "", str(ctx.get("expected", "")))


_QUOTED = re.compile(r"'([^']*)'")


def rule_problem(violation: RuleViolation) -> Problem:
    """One violation of the plan rules, recognised by its (stable) wording."""
    path, message = violation.path, violation.message
    named = _QUOTED.search(message)
    value = _quoted(named.group(1)) if named else ""
    if message.startswith("duplicate"):
        return Problem("duplicate_id", path, {"value": value})
    if message.startswith("unknown unit"):
        known = message.split("units of this plan: ", 1)[-1]
        return Problem("unknown_unit", path, {"value": value, "known": known})
    if message.startswith("unknown principle"):
        return Problem("unknown_principle", path, {"value": value})
    if message.startswith("the period ends"):
        return Problem("period_order", path, {"value": message.split("(")[1].split(")")[0]})
    if message.startswith("cannot read the timeline"):
        return Problem("bad_timeline", path, {"value": value})
    if message.startswith("more than"):
        return Problem("too_many_rrules", path)
    return Problem("invalid", path, {"detail": message[:200]})


def rule_problems(violations: Iterable[RuleViolation]) -> list[Problem]:
    return [rule_problem(v) for v in violations]
