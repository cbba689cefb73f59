"""The change report of a renegotiation, for the decision: old against new,
commitment by commitment, every activity with its decision (carried over,
changed, closed) and reason. Markdown for the committee's papers and a
self-contained HTML page (everything typed is escaped)."""

from __future__ import annotations

from html import escape
from typing import Any

from lokflow.agreement.renegotiation import Outcome, Renegotiated, outcome_counts
from lokflow.domain.plan_document import PlanDocument
from lokflow.texts.renegotiation import renegotiation_words


def _period(start: int, end: int | None, w: dict[str, str]) -> str:
    return w["period"].format(start=start, end=end or "")


def _summary(result: Renegotiated, w: dict[str, str]) -> tuple[str, str, str]:
    new = result.document
    title = w["report_title"].format(old=result.old_slug, new=new.slug)
    intro = w["report_intro"].format(old=result.old_slug, new=new.slug,
                                     old_period=_period(*result.old_period, w),
                                     new_period=_period(new.period.start, new.period.end, w))
    counts = outcome_counts(result)
    return title, intro, w["counts"].format(**counts, added=0)


def _describe(values: dict[str, Any] | None, w: dict[str, str]) -> str:
    if not values:
        return "–"
    parts = [str(values.get("text", ""))]
    if values.get("timeline"):
        parts.append(f"{w['field_timeline']}: {values['timeline']}")
    if values.get("owners"):
        parts.append(f"{w['field_owners']}: {', '.join(values['owners'])}")
    return " · ".join(part for part in parts if part)


def _groups(result: Renegotiated, old: PlanDocument) -> list[tuple[str, list[Outcome]]]:
    titles = {c.id: f"{c.number or c.id} {c.text}".strip() for c in old.commitments}
    groups: dict[str, list[Outcome]] = {}
    for outcome in result.outcomes:
        groups.setdefault(outcome.commitment, []).append(outcome)
    return [(titles.get(key, key), rows) for key, rows in groups.items()]


def change_report_markdown(result: Renegotiated, old: PlanDocument, language: str) -> str:
    w = renegotiation_words(language)
    title, intro, counts = _summary(result, w)
    lines = [f"# {title}", "", intro, "", counts, ""]
    for heading, rows in _groups(result, old):
        lines += [f"## {w['commitment'].format(label=heading)}", "",
                  f"| {w['col_activity']} | {w['col_decision']} | {w['col_old']} | "
                  f"{w['col_new']} | {w['col_reason']} |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {_md(r.label or r.key)} | {w[r.action]} | {_md(_describe(r.old, w))} | "
                  f"{_md(_describe(r.new, w) if r.action != 'carry' else '')} | "
                  f"{_md(r.reason or '')} |" for r in rows]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def change_report_html(result: Renegotiated, old: PlanDocument, language: str) -> str:
    w = renegotiation_words(language)
    title, intro, counts = _summary(result, w)
    parts = [f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
             f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
             f"<p>{escape(intro)}</p><p>{escape(counts)}</p>"]
    for heading, rows in _groups(result, old):
        parts.append(f"<h2>{escape(w['commitment'].format(label=heading))}</h2><table><thead><tr>"
                     + "".join(f'<th scope="col">{escape(w[k])}</th>' for k in (
                         "col_activity", "col_decision", "col_old", "col_new", "col_reason"))
                     + "</tr></thead><tbody>")
        for r in rows:
            new = _describe(r.new, w) if r.action != "carry" else ""
            parts.append(f'<tr><th scope="row">{escape(r.label or r.key)}</th>'
                         f"<td>{escape(w[r.action])}</td>"
                         f"<td>{escape(_describe(r.old, w))}</td><td>{escape(new)}</td>"
                         f"<td>{escape(r.reason or '')}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</main></body></html>")
    return "".join(parts)
