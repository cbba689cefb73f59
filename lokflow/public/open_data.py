"""The public page's open data: the whole plan as JSON and its activities as
CSV, with stable English keys and the status both as a code and in the
reader's language. The same content as the page, so no personal data."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from lokflow.public.plan_view import PublicActivity, PublicPlan
from lokflow.texts.follow_up import joint_waiting_text
from lokflow.texts.vocabulary import STATUS_LABELS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these


def links(base_url: str, slug: str) -> dict[str, str]:
    root = f"{base_url.rstrip('/')}/insyn/{slug}"
    return {"page": root, "json": f"{root}.json", "csv": f"{root}.csv", "atom": f"{root}.atom"}


def status_label(status: str | None, language: str) -> str | None:
    return STATUS_LABELS[language].get(status) if status else None


def _activity(view: PublicPlan, a: PublicActivity, language: str) -> dict[str, Any]:
    joint = None
    if a.joint is not None:
        joint = {"occurrence": a.joint.occurrence, "done_by": a.joint.done_by,
                 "waiting_for": a.joint.waiting_for,
                 "text": joint_waiting_text(a.joint.done_by, a.joint.waiting_for, language)}
    return {"id": a.key, "label": view.label(a.party, a.number, a.key, language),
            "number": a.number, "text": a.text, "party": a.party, "principle": a.principle,
            "owners": a.owners, "timeline": a.timeline, "status": a.status,
            "status_label": status_label(a.status, language),
            "status_date": a.status_on.isoformat() if a.status_on else None,
            "joint_waiting": joint}


def plan_json(view: PublicPlan, language: str, base_url: str) -> bytes:
    data = {
        "plan": {"id": view.slug, "title": view.title, "short_name": view.short_name,
                 "organisation": view.organisation,
                 "period": {"start": view.period_start, "end": view.period_end},
                 "adopted": view.adopted,
                 "source": {"document": view.source, "url": view.source_url}},
        "language": language,
        "updated": view.updated.isoformat(),
        "principles": [
            {"id": row.key, "name": row.name or None, "total": row.total,
             "counts": row.counts, "by_party": row.by_party}
            for row in view.progress],
        "commitments": [
            {"id": c.key, "number": c.number, "party": c.party,
             "party_label": view.party(c.party, language), "principle": c.principle,
             "text": c.text, "activities": [_activity(view, a, language) for a in c.activities]}
            for c in view.commitments],
        "annual_reports": [
            {"year": r.year, "language": r.language,
             "url": f"{links(base_url, view.slug)['page']}/arsrapport-{r.id}.pdf"}
            for r in view.reports],
        "links": links(base_url, view.slug),
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


CSV_COLUMNS = ("plan", "commitment_id", "commitment_number", "activity_id", "label", "text",
               "party", "principle", "owners", "timeline", "status", "status_label",
               "status_date", "joint_waiting")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def plan_csv(view: PublicPlan, language: str) -> bytes:
    """One row per activity; text that a spreadsheet would run starts with '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in view.commitments:
        for a in c.activities:
            row = _activity(view, a, language)
            writer.writerow([_cell(v) for v in (
                view.slug, c.key, c.number, a.key, row["label"], a.text, a.party, a.principle,
                "; ".join(a.owners), a.timeline, a.status, row["status_label"],
                row["status_date"], (row["joint_waiting"] or {}).get("text"))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
