"""The canonical JSON of a plan document: what a revision stores, and the
digest that tells whether two documents are the same plan, whatever file,
workbook or form they came from."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from lokflow.domain.plan_document import PlanDocument


def plan_data(document: PlanDocument) -> dict[str, Any]:
    """Every field, defaults included, as JSON values (dates as ISO text)."""
    return document.model_dump(mode="json")


def canonical_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of(data: dict[str, Any]) -> str:
    """The SHA-256 of the canonical text; the migration computes the same."""
    return hashlib.sha256(canonical_text(data).encode("utf-8")).hexdigest()


def document_digest(document: PlanDocument) -> str:
    return digest_of(plan_data(document))


def same_plan(first: PlanDocument, second: PlanDocument) -> bool:
    return plan_data(first) == plan_data(second)
