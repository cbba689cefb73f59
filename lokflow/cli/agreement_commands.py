"""`lokflow renegotiate PLAN --to-period 2027-` and `lokflow evaluation PLAN`:
the agreement's lifecycle from the command line (issue 17, part two)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from lokflow.agreement.agenda_mail import make_agenda, queue_agenda
from lokflow.agreement.change_report import change_report_html, change_report_markdown
from lokflow.agreement.evaluation import (
    NotAnEvaluationYear,
    evaluation_data,
    evaluation_html,
    evaluation_pdf,
)
from lokflow.agreement.meeting_cycle import find_meeting, meeting_row, plan_document
from lokflow.agreement.renegotiation import (
    CHANGEABLE,
    Choice,
    RenegotiationRefused,
    apply_renegotiation,
    default_choices,
    outcome_counts,
    renegotiate,
)
from lokflow.cli.context import console, fail, state
from lokflow.domain.meetings import meeting_days
from lokflow.store import tables as t

PERIOD = re.compile(r"^(\d{4})-(\d{4})?$")


class _Decision(BaseModel):
    """One activity's line in a decisions file."""

    model_config = ConfigDict(extra="forbid")
    action: str = Field(pattern="^(carry|change|close)$")
    reason: str | None = Field(default=None, max_length=2000)
    set: dict[str, Any] = Field(default_factory=dict)


class _Decisions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    activities: dict[str, _Decision] = Field(default_factory=dict)


def _period(text: str) -> tuple[int, int | None]:
    found = PERIOD.match(text.strip())
    if not found:
        raise fail(f"--to-period must look like 2027- or 2027-2030, got {text!r}")
    return int(found[1]), int(found[2]) if found[2] else None


def _decisions(path: Path | None) -> _Decisions:
    if path is None:
        return _Decisions()
    try:
        return _Decisions.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise fail(f"{path}: {error}") from None


def _choices(session: Session, plan: t.Plan, given: _Decisions) -> dict[str, Choice]:
    choices = default_choices(session, plan)
    for key, line in given.activities.items():
        unknown = set(line.set) - set(CHANGEABLE)
        if unknown:
            raise fail(f"{key}: cannot set {sorted(unknown)[0]!r}; fields: {', '.join(CHANGEABLE)}")
        choices[key] = Choice(line.action, line.reason, dict(line.set))  # type: ignore[arg-type]
    return choices


def renegotiate_command(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="The plan to renegotiate, e.g. tierp.")],
    to_period: Annotated[str, typer.Option("--to-period", help="The new period: 2027- or "
                                           "2027-2030.")],
    decisions: Annotated[Path | None, typer.Option(help="YAML: per activity action carry|"
                                                   "change|close, reason, set.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the change report here (.md or "
                                                ".html).")] = None,
    apply: Annotated[bool, typer.Option(help="Create the new version (else only report).")]
    = False,
) -> None:
    """Start a new plan version from the old one, with a change report."""
    app = state(ctx).app
    start, end = _period(to_period)
    given = _decisions(decisions)
    with app.sessions.begin() as session:
        row = session.query(t.Plan).filter_by(slug=plan, archived=False).one_or_none()
        if row is None:
            raise fail(f"no plan {plan!r}")
        old = plan_document(row)
        try:
            result = renegotiate(old, start, end, _choices(session, row, given), given.slug)
        except RenegotiationRefused as refused:
            raise fail(str(refused)) from None
        counts = outcome_counts(result)
        if report is not None:
            render = change_report_html if report.suffix == ".html" else change_report_markdown
            report.write_text(render(result, old, old.language.value), encoding="utf-8")
        if apply:
            apply_renegotiation(session, result, "lokflow renegotiate", app.now())
        console.print(f"{plan} -> {result.document.slug} ({start}-{end or ''}): "
                      f"{counts['carry']} carried over, {counts['change']} changed, "
                      f"{counts['close']} closed"
                      + ("; created" if apply else "; not created (add --apply)")
                      + (f"; change report in {report}" if report else ""), highlight=False)


def evaluation_command(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="The plan, e.g. botkyrka.")],
    year: Annotated[int, typer.Option(help="The evaluation year.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The report file (.pdf or "
                                         ".html).")],
) -> None:
    """Compile the evaluation report of an evaluation year."""
    app = state(ctx).app
    with app.read() as session:
        row = session.query(t.Plan).filter_by(slug=plan).one_or_none()
        if row is None:
            raise fail(f"no plan {plan!r}")
        try:
            data = evaluation_data(session, row, year, app.now(), app.settings.tz)
        except NotAnEvaluationYear as error:
            raise fail(str(error)) from None
    language = data["plan"]["language"]
    if output.suffix == ".pdf":
        output.write_bytes(evaluation_pdf(data, language))
    else:
        output.write_text(evaluation_html(data, language), encoding="utf-8")
    given = sum(1 for r in data["rows"] for c in r["cells"].values() if c)
    console.print(f"{plan} {year}: evaluation of {data['covers'][0]}-{data['covers'][1]}, "
                  f"{len(data['rows'])} items, {given} assessments given; written to {output}",
                  highlight=False)


def meetings_command(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="The plan, e.g. lulea.")],
    agenda: Annotated[str | None, typer.Option(help="Make this meeting's agenda (ISO date) "
                                               "now and queue it for the participants.")]
    = None,
) -> None:
    """The plan's dialogue meetings; --agenda DAY makes and queues one agenda."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        row = session.query(t.Plan).filter_by(slug=plan).one_or_none()
        if row is None:
            raise fail(f"no plan {plan!r}")
        days = meeting_days(plan_document(row), date(app.today().year - 1, 1, 1),
                            date(app.today().year + 1, 12, 31))
        if agenda is not None:
            day = next((m for m in days if m.day.isoformat() == agenda), None)
            if day is None:
                raise fail(f"{agenda} is not a meeting day of {plan}")
            meeting = meeting_row(session, row, day, app.settings.tz, app.now())
            make_agenda(session, row, meeting, app.today(), app.settings.tz, app.now(),
                        again=True)
            queued = queue_agenda(session, row, meeting, app.now(), app.today())
            console.print(f"{plan} {agenda}: agenda made, {queued} emails queued "
                          f"(lokflow send delivers them)", highlight=False)
            return
        for day in days:
            found = find_meeting(session, row.id, day.day)
            made = found.agenda_made_at.date().isoformat() if found and found.agenda_made_at \
                else f"due {day.agenda_day.isoformat()}"
            minutes = "minutes" if found and found.minutes else "no minutes"
            console.print(f"{day.day.isoformat()}  agenda {made}  {minutes}", highlight=False)
