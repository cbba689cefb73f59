"""Builds one feed: its sources, their events inside the window, the
calendar text, and the validators HTTP caching needs.

The text depends only on stored data and today's date, never on the moment
of the request, so it is byte-identical between requests and its hash is a
stable ETag. Last-Modified is the latest change of the data the feed shows,
or the day an event last entered or left the window, if that is later.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lokflow.feeds.activity_events import Presentation, activity_events
from lokflow.feeds.event_series import EventMeta, alarm_trigger
from lokflow.feeds.ical_writer import write_calendar
from lokflow.feeds.inputs import EPOCH, activity_inputs, plan_inputs
from lokflow.feeds.model import FeedCalendar, FeedEvent
from lokflow.feeds.plan_events import plan_events
from lokflow.feeds.sources import FeedSources, select_sources
from lokflow.feeds.subscriptions import FeedSpec
from lokflow.feeds.window import FeedWindow
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.texts.feeds import words


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime
    name: str
    events: int


def render_feed(
    session: Session, settings: Settings, spec: FeedSpec, organisation_id: int, today: date,
    *, report_url: str | None = None,
) -> RenderedFeed:
    """The feed as served; a target that is gone gives an empty calendar, so
    subscribers see its events disappear rather than an error."""
    sources = select_sources(session, spec) or FeedSources(
        session.get_one(t.Organisation, organisation_id), [], [])
    window = FeedWindow(today, settings.feed_days_back, settings.feed_days_ahead)
    events = _events(session, settings, spec, sources, window,
                     report_url if spec.kind == "contact" else None, today)
    shown = sorted((e for e in events if window.includes(e)), key=lambda e: (e.first, e.uid))
    name, description = _titles(spec, sources, settings)
    calendar = FeedCalendar(
        uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"lokflow-feed:{spec.kind}:{spec.target}:"
                                               f"{int(spec.alarm)}:{spec.language}")),
        name=name, description=description, timezone=settings.timezone,
        refresh=timedelta(hours=settings.feed_refresh_hours), language=spec.language,
        events=tuple(shown), rules_year=today.year,
    )
    body = write_calendar(calendar)
    return RenderedFeed(
        body=body, etag='"' + hashlib.sha256(body).hexdigest()[:40] + '"',
        last_modified=_last_modified(session, settings, sources, events, window),
        name=name, events=len(shown),
    )


def _events(
    session: Session, settings: Settings, spec: FeedSpec, sources: FeedSources,
    window: FeedWindow, report_url: str | None, today: date,
) -> list[FeedEvent]:
    alarm = alarm_trigger(settings.feed_alarm_days) if spec.alarm else None
    plan_urls = {p.slug: str(p.document["source"]["url"]) for p in sources.plans
                 if p.document["source"].get("url")}
    view = Presentation(language=spec.language, alarm=alarm, horizon=window.end,
                        report_url=report_url, plan_urls=plan_urls)
    events: list[FeedEvent] = []
    for plan in plan_inputs(session, sources.plans):
        meta = EventMeta(stamp=plan.stamp, sequence=plan.sequence,
                         url=plan_urls.get(plan.slug), alarm=alarm)
        events += plan_events(plan, language=spec.language, horizon=window.end, meta=meta)
    owners_view = today if spec.kind in ("owner", "contact") else None  # overdue shown
    for item in activity_inputs(session, sources.activities, settings.tz, owners_view):
        events += activity_events(item, view)
    return events


def _titles(spec: FeedSpec, sources: FeedSources, settings: Settings) -> tuple[str, str]:
    w = words(spec.language)
    organisation = sources.organisation.name
    refresh = w["refresh"].format(hours=settings.feed_refresh_hours)
    plan = sources.plans[0] if sources.plans else None
    if spec.kind in ("plan", "owner") and plan is not None:
        if spec.kind == "owner":
            unit = sources.unit_name or spec.target
            return (w["owner_name"].format(plan=plan.short_name, unit=unit),
                    w["owner_desc"].format(unit=unit, title=plan.title) + " " + refresh)
        return plan.short_name, w["plan_desc"].format(title=plan.title) + " " + refresh
    if spec.kind == "contact":
        return (w["contact_name"].format(organisation=organisation),
                w["contact_desc"].format(name=sources.person or "") + " " + refresh)
    return (w["organisation_name"].format(organisation=organisation),
            w["organisation_desc"].format(organisation=organisation) + " " + refresh)


def _last_modified(
    session: Session, settings: Settings, sources: FeedSources, events: list[FeedEvent],
    window: FeedWindow,
) -> datetime:
    loaded = session.scalar(select(func.max(t.Plan.loaded_at)).where(
        t.Plan.organisation_id == sources.organisation.id))
    moments = [e.stamp for e in events] + ([loaded] if loaded else [])
    changed = window.changed_on(events)
    if changed is not None:
        moments.append(datetime.combine(changed, time(), tzinfo=settings.tz))
    latest = max(moments, default=EPOCH).astimezone(UTC)
    return latest.replace(microsecond=0)
