"""An activity's schedule and event log in people's words (Swedish or
English), for the coordinator's activity page: never an internal name such
as `date_accepted` or `channel: cli` on a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lokflow.domain.statuses import Status
from lokflow.texts.dates import long_date
from lokflow.texts.pages import PAGE_TEXTS


def describe_schedule(schedule: dict[str, Any], language: str) -> str | None:
    """'varje år den 1 oktober'; None for a kind without words (shown as written)."""
    w = PAGE_TEXTS[language]
    kind = schedule.get("kind")
    if kind == "deadline":
        return w["sched_deadline"].format(due=long_date(schedule["due"], language))
    if kind == "window":
        return w["sched_window"].format(start=long_date(schedule["start"], language),
                                        end=long_date(schedule["end"], language))
    if kind == "yearly":
        day = long_date(f"2000-{schedule['month']:02d}-{schedule['day']:02d}", language)[:-5]
        if schedule.get("start"):
            return w["sched_yearly_from"].format(day=day,
                                                 start=long_date(schedule["start"], language))
        return w["sched_yearly"].format(day=day)
    if kind == "ongoing":
        if schedule.get("initial_deadline"):
            return w["sched_ongoing_deadline"].format(
                due=long_date(schedule["initial_deadline"], language),
                n=schedule.get("checkins_per_year", 2))
        return w["sched_ongoing"].format(n=schedule.get("checkins_per_year", 2))
    if kind == "on_demand":
        return w["sched_on_demand"]
    if kind == "rrule":
        return w["sched_rrule"].format(rule=schedule["rrule"],
                                       start=long_date(schedule["dtstart"], language))
    return None


@dataclass(frozen=True)
class EventWords:
    what: str
    detail: str


def occurrence_words(key: str | None, language: str) -> str:
    w = PAGE_TEXTS[language]
    if not key or key == "deadline":
        return w["occurrence_deadline"]
    if key.isdigit():
        return w["occurrence_year"].format(year=key)
    if key.startswith("checkin-"):
        return w["occurrence_checkin"].format(day=key.removeprefix("checkin-"))
    return key


def _status(value: Any, language: str) -> str:
    try:
        return Status(str(value)).label(language)
    except ValueError:
        return str(value)


def _channel(value: Any, language: str) -> str:
    return PAGE_TEXTS[language].get(f"channel_{value}", str(value))


def describe_event(kind: str, detail: dict[str, Any], language: str) -> EventWords:
    """What happened, and its detail, as a sentence each."""
    w = PAGE_TEXTS[language]
    if kind == "created":
        return EventWords(w["ev_created"], w["ev_timeline"].format(
            timeline=detail.get("timeline", "")))
    if kind in ("changed", "restored", "archived"):
        fields = ", ".join(w.get(f"field_name_{f}", f) for f in detail.get("fields", {}))
        return EventWords(w[f"ev_{kind}"],
                          w["ev_changed_detail"].format(fields=fields) if fields else "")
    if kind == "report":
        return _report_words(detail, language)
    if kind in ("date_proposed", "date_accepted", "date_rejected"):
        what = w[f"ev_{kind}"].format(day=detail.get("proposed", ""))
        parts = [w["ev_decided_by"].format(by=detail["by"])] if detail.get("by") else []
        if detail.get("reason"):
            parts.append(w["ev_reason"].format(reason=detail["reason"]))
        return EventWords(what, ". ".join(parts))
    if kind == "reminded_now":
        return EventWords(w["ev_reminded_now"].format(by=detail.get("by", ""),
                                                      n=detail.get("recipients", 0)), "")
    if kind.endswith("_queued"):
        notice = kind.removesuffix("_queued")
        label = w.get(f"kind_{notice}", w["ev_other"])
        what = w["ev_queued"].format(kind=label[:1].upper() + label[1:],
                                     recipient=detail.get("recipient", ""))
        extra = w["ev_queued_detail"].format(day=detail.get("planned_day", ""))
        if detail.get("stage") == "manual" and detail.get("by"):
            extra += " (" + w["ev_by_now"].format(by=detail["by"]) + ")"
        return EventWords(what, extra)
    return EventWords(w["ev_other"], "")


def _report_words(detail: dict[str, Any], language: str) -> EventWords:
    w = PAGE_TEXTS[language]
    what = w["ev_report"].format(status=_status(detail.get("status"), language))
    values = {"reporter": detail.get("reporter", ""),
              "channel": _channel(detail.get("channel"), language),
              "occurrence": occurrence_words(detail.get("occurrence"), language)}
    if detail.get("on_behalf_of"):
        return EventWords(what, w["ev_report_behalf"].format(owner=detail["on_behalf_of"],
                                                             **values))
    return EventWords(what, w["ev_report_detail"].format(**values))
