"""Small hand-made plan histories for the pure annual-report tests: the rows
`reports.history.load_history` would return, written out directly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lokflow.annual_report.history import (
    ActivityRow,
    CommitmentRow,
    DateChangeRow,
    EscalationRow,
    PlanHistory,
    ReportRow,
)
from lokflow.annual_report.moment import Moment
from lokflow.domain.occurrences import PlanCalendar
from lokflow.domain.timelines import AnySchedule, MonthDay

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CALENDAR = PlanCalendar(annual_date=MonthDay(11, 15), period_end=date(2026, 12, 31))


def at(text: str) -> datetime:
    """'2024-03-01' or '2024-03-01T10:00' as an aware UTC moment."""
    moment = datetime.fromisoformat(text if "T" in text else f"{text}T10:00")
    return moment.replace(tzinfo=UTC)


def report(occurrence: str, status: str, when: str, *, progress: int | None = None,
           comment: str | None = None, obstacles: str | None = None,
           reporter: str = "Kim Kultur", number: int = 0) -> ReportRow:
    return ReportRow(id=number, occurrence=occurrence, status=status, progress=progress,
                     comment=comment, obstacles=obstacles, reporter=reporter, at=at(when))


def move(occurrence: str, original: str, proposed: str, decided: str,
         reason: str = "Finansieringen dröjer.") -> DateChangeRow:
    return DateChangeRow(occurrence=occurrence, original=date.fromisoformat(original),
                         proposed=date.fromisoformat(proposed), reason=reason,
                         decided_by="Samordnaren", decided_at=at(decided))


def escalation(occurrence: str, level: int, day: str, recipient: str,
               sent: bool = True) -> EscalationRow:
    return EscalationRow(occurrence=occurrence, level=level,
                         planned_day=date.fromisoformat(day), recipient=recipient, sent=sent)


def activity(key: str, schedule: AnySchedule, *, reports: tuple[ReportRow, ...] = (),
             moves: tuple[DateChangeRow, ...] = (),
             escalations: tuple[EscalationRow, ...] = (), party: str = "municipality",
             principle: str | None = "dialog", commitment: str = "k1",
             owners: tuple[str, ...] = ("kultur",), text: str | None = None,
             timeline: str = "2023") -> ActivityRow:
    return ActivityRow(
        id=hash(key) % 10_000, key=key, number=key.rpartition("-")[2], text=text or f"Gör {key}.",
        party=party, principle=principle, commitment_key=commitment, owner_keys=owners,
        partners=(), timeline=timeline, timeline_note=None, schedule=schedule,
        reports=reports, moves=moves, escalations=escalations)


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": "Handlingsplan för Testby", "short_name": "LÖK Testby",
        "period": {"start": 2022, "end": 2026}, "adopted": None,
        "source": {"document": "Handlingsplan 2022–2026"},
        "follow_up": {"annual_date": "11-15",
                      "evaluation": {"first_after_years": 2, "every_years": 5}},
        "units": [{"id": "kultur"}, {"id": "foreningarna"}],
    }
    doc.update(changes)
    return doc


def history(activities: list[ActivityRow], *, as_of: str = "2024-11-15T19:00",
            principles: tuple[tuple[str, str, str | None], ...] = (
                ("dialog", "Dialog", None), ("oppenhet", "Öppenhet", None)),
            doc: dict[str, Any] | None = None) -> PlanHistory:
    commitments = {a.commitment_key for a in activities}
    return PlanHistory(
        plan_id=1, slug="testby", document=doc or document(), organisation="Testby kommun",
        calendar=CALENDAR, units={"kultur": "Kulturförvaltningen",
                                  "foreningarna": "Föreningarna"},
        coordinators=("Samordnaren",), principles=principles,
        commitments=tuple(CommitmentRow(key, key.upper(), "municipality", "dialog",
                                        f"Åtagande {key}.") for key in sorted(commitments)),
        activities=tuple(activities), as_of=at(as_of))


def moment(year: int = 2024, as_of: str = "2024-11-15T19:00") -> Moment:
    return Moment(year, at(as_of).astimezone(STOCKHOLM), STOCKHOLM)
