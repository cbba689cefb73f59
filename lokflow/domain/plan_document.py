"""The plan file: what a coordinator writes, as validated pydantic models.

One YAML file per action plan. The models only check the shape of the file;
cross-references (owners that exist, unique ids, timelines) are checked by
`plan_rules`, which can name the exact place of each error.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)

from lokflow.domain.timelines import MonthDay, TimelineError, follow_up_words, normalise

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö._-]{0,62}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _month_day(value: str) -> str:
    return str(MonthDay.parse(value))


MonthDayText = Annotated[str, AfterValidator(_month_day)]


def _named_date(value: object) -> str:
    """'MM-DD' (that day in the year the timeline names) or an ISO date."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 5:
        return date.fromisoformat(text).isoformat()
    return str(MonthDay.parse(text))


NamedDate = Annotated[str, BeforeValidator(_named_date)]
DateName = Annotated[str, StringConstraints(pattern=r"^[a-zåäö][a-zåäö0-9 ]{0,40}$")]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Party(StrEnum):
    """Who has made a commitment."""

    MUNICIPALITY = "municipality"
    CIVIL_SOCIETY = "civil_society"
    JOINT = "joint"


class UnitKind(StrEnum):
    MUNICIPALITY = "municipality"
    DEPARTMENT = "department"
    ASSOCIATION = "association"
    COUNCIL = "council"
    NETWORK = "network"
    EXTERNAL = "external"
    COLLECTIVE = "collective"


class Language(StrEnum):
    SV = "sv"
    EN = "en"


class Contact(Strict):
    name: ShortText
    email: EmailStr
    role: ShortText | None = None
    language: Language = Language.SV
    placeholder: bool = Field(default=False, description=(
        "A role-based address standing in for a contact the source does not name: "
        "mail to it is kept in the maildir, never sent over SMTP."))


class Unit(Strict):
    """A responsible party: a department, a council, 'Alla föreningar' ..."""

    id: Key
    name: ShortText
    kind: UnitKind = UnitKind.DEPARTMENT
    contacts: list[Contact] = Field(default_factory=list)
    escalation: Contact | None = None
    note: Text | None = None
    # --- issue 17 (follow-up): which side of the agreement the unit speaks for
    party: Literal["municipality", "civil_society"] | None = Field(
        default=None, description="Overrides the party its kind implies (joint activities).")


class Source(Strict):
    document: Text
    file: ShortText | None = None
    url: ShortText | None = None
    decided_by: ShortText | None = None
    note: Text | None = None


class Period(Strict):
    start: int = Field(ge=1990, le=2200)
    end: int | None = Field(default=None, ge=1990, le=2200)


class Cadence(Strict):
    """A recurring milestone: first after N years, then every M years."""

    first_after_years: int | None = Field(default=None, ge=1, le=20)
    every_years: int = Field(ge=1, le=20)
    note: Text | None = None
    # --- issue 17 (part two): what an evaluation round asks both parties
    questions: list[Text] = Field(default_factory=list, max_length=20,
                                  description="Questions of the evaluation round.")


ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


InferredField = Literal["timeline", "annual_date", "owners", "dates", "per_year", "executor"]


class DialogueMeetings(Strict):
    per_year: int = Field(ge=1, le=12)
    dates: list[MonthDayText] = Field(default_factory=list)
    note: Text | None = None
    inferred: list[InferredField] = Field(default_factory=list)
    # --- issue 17 (part two): the meeting cycle's agenda and invitation
    agenda_weeks_before: int = Field(
        default=2, ge=1, le=12, description="Weeks before a meeting its agenda draft is made.")
    time: ClockTime = Field(default="13:00", description="When meetings start, HH:MM.")
    hours: int = Field(default=2, ge=1, le=12, description="How long a meeting lasts.")
    location: ShortText | None = None


class Assessors(Strict):
    """Who writes each party's own assessment of the annual follow-up."""

    municipality: list[EmailStr] = Field(default_factory=list, max_length=20)
    civil_society: list[EmailStr] = Field(default_factory=list, max_length=20)


class FollowUp(Strict):
    """How the plan itself is followed up."""

    annual_date: MonthDayText = Field(description="Day of the annual follow-up, MM-DD.")
    inferred: list[Literal["annual_date"]] = Field(default_factory=list, description=(
        "The follow-up day is not given by the source: yearly activities that fall due "
        "on it are shown as inferred."))
    annual_note: Text | None = None
    reporting_round_weeks: int = Field(default=6, ge=1, le=26)
    round_reminder_days: int = Field(default=7, ge=1, le=60)
    dialogue_meetings: DialogueMeetings | None = None
    evaluation: Cadence | None = None
    renegotiation: Cadence | None = None
    # --- issue 17 (follow-up): both parties' own assessment, joint activities
    assessors: Assessors | None = None
    joint_needs_both: bool = Field(
        default=True, description="A joint activity is done only when both parties say so.")


class Reminders(Strict):
    days_before: list[int] = Field(default=[30, 7])
    working_days_before: list[int] = Field(default=[1])
    checkins_per_year: int = Field(default=2, ge=1, le=12)
    on_demand: bool = Field(default=False, description="Remind 'Vid behov' items in rounds only.")


EscalationTarget = Literal["owners", "escalation_contacts", "coordinators", "steering_group"]


class EscalationLevel(Strict):
    level: int = Field(ge=1, le=9)
    to: EscalationTarget
    days_after: int = Field(ge=0, le=365, description="Days after the previous step.")
    working_day: bool = Field(default=False, description="Count working days, not days.")


def _default_escalation() -> list[EscalationLevel]:
    return [
        EscalationLevel(level=1, to="owners", days_after=1, working_day=True),
        EscalationLevel(level=2, to="escalation_contacts", days_after=14),
        EscalationLevel(level=3, to="coordinators", days_after=30),
    ]


class Policy(Strict):
    reminders: Reminders = Field(default_factory=Reminders)
    escalation: list[EscalationLevel] = Field(default_factory=_default_escalation)


class PolicyOverride(Strict):
    """Per-activity changes to the plan's policy; what is left out is inherited."""

    reminders: Reminders | None = None
    escalation: list[EscalationLevel] | None = None
    enabled: bool = True


class Principle(Strict):
    id: Key
    name: ShortText
    description: Text | None = None


class Activity(Strict):
    id: Key = Field(description="Unique within the plan, e.g. 'kommun-1.1'.")
    number: ShortText | None = Field(default=None, description="The source's own number.")
    text: Text
    owners: list[Key] = Field(min_length=1, description="Responsible units (unit ids).")
    responsible_as_written: Text | None = None
    commissioner: Text | None = Field(default=None, description=(
        "Who commissions the work and answers for it (Örebro's 'Ansvarig "
        "uppdragsbeställare'), as the source names them."))
    executor: Text | None = Field(default=None, description=(
        "Who carries it out, only where the source names them (Örebro: the name in "
        "parentheses)."))
    partners: list[ShortText] = Field(default_factory=list)
    principle: Key | None = None
    party: Party | None = None
    timeline: Text
    timeline_note: Text | None = None
    annual_date: MonthDayText | None = None
    location: ShortText | None = None
    policy: PolicyOverride | None = None
    note: Text | None = None
    outside_period: bool = Field(default=False, description=(
        "The coordinator confirms that this activity's date lies outside the plan's period."))
    inferred: list[InferredField] = Field(default_factory=list, description=(
        "Fields whose value the source does not give: inferred by whoever wrote the file."))
    # --- issue 17 (part two): a commitment to follow up, not a task to chase
    kind: Literal["activity", "follow_up"] = Field(
        default="activity",
        description="'follow_up': a statement of attitude or rights, followed up in the "
                    "joint assessment; no reminders, check-ins or round requests.")

    @property
    def follows_up(self) -> bool:
        """Followed up in the joint assessment (the kind, or the timeline's words)."""
        return self.kind == "follow_up" or follow_up_words(self.timeline)

    @field_validator("timeline", mode="before")
    @classmethod
    def _year_or_date_as_written(cls, value: object) -> object:
        """YAML reads `timeline: 2023` as a number and `2025-03-31` as a date."""
        if isinstance(value, int | date) and not isinstance(value, bool):
            return value.isoformat() if isinstance(value, date) else str(value)
        return value

    @field_validator("timeline")
    @classmethod
    def _timeline_words(cls, value: str) -> str:
        if not normalise(value):
            raise TimelineError(value, "it is empty")
        return value


class Commitment(Strict):
    """An åtagande of one party (or both), with the activities that fulfil it."""

    id: Key
    number: ShortText | None = None
    party: Party
    principle: Key | None = None
    text: Text
    activities: list[Activity] = Field(default_factory=list)
    note: Text | None = None


class Organisation(Strict):
    slug: Slug
    name: ShortText


class PartyNames(Strict):
    """How this plan names each party in activity labels ("Kommunen 2.2")."""

    municipality: ShortText | None = None
    civil_society: ShortText | None = None
    joint: ShortText | None = None


class Sender(Strict):
    """Who the plan's emails come from (the municipality, not lokflow)."""

    name: ShortText
    email: EmailStr | None = None


class PlanDocument(Strict):
    """A whole action plan file."""

    lokflow: Literal[1] = Field(description="Plan file format version.")
    slug: Slug
    organisation: Organisation
    title: Text
    short_name: ShortText
    period: Period
    adopted: date | None = None
    source: Source
    language: Language = Language.SV
    coordinators: list[Contact] = Field(min_length=1)
    steering_group: list[Contact] = Field(default_factory=list)
    units: list[Unit] = Field(min_length=1)
    follow_up: FollowUp
    policy: Policy = Field(default_factory=Policy)
    principles: list[Principle] = Field(default_factory=list)
    commitments: list[Commitment] = Field(min_length=1)
    note: Text | None = None
    named_dates: dict[DateName, NamedDate] = Field(default_factory=dict, description=(
        "Days the timelines may name: 'budget: \"06-15\"' for 'Inför budget 2026'."))
    party_names: PartyNames | None = None
    sender: Sender | None = None
    # --- issue 17 (follow-up): the public transparency page is opt-in
    public: bool = Field(default=False, description="Publish a read-only page of the plan.")
    # --- issue 17 (part two): the plan version this one was renegotiated from
    previous: Slug | None = Field(default=None,
                                  description="The slug of the plan version this one replaces.")

    def activities(self) -> list[tuple[Commitment, Activity]]:
        return [(c, a) for c in self.commitments for a in c.activities]
