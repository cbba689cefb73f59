"""The use cases behind the feed URL, its report link and `lokflow feed`."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from lokflow.feeds.builder import RenderedFeed, render_feed
from lokflow.feeds.cache import FeedCache, data_stamp
from lokflow.feeds.subscriptions import FeedKeys, FeedSpec, ensure, open_feed, organisation_of
from lokflow.reporting.report_links import issue_report_link
from lokflow.settings import Settings


def report_link(settings: Settings, raw: str) -> str:
    """A personal feed's report link: stable, so the feed text is too; it
    hands out a fresh report token when followed."""
    return f"{settings.base_url.rstrip('/')}/feeds/{raw}/rapport"


def serve_feed(session: Session, app: FeedKeys, raw: str,
               cache: FeedCache | None = None) -> RenderedFeed | None:
    """The feed behind a presented token, or None (unknown, revoked, malformed);
    from `cache` when nothing it shows has changed."""
    subscription = open_feed(session, raw, app.now())
    if subscription is None:
        return None
    organisation_id = subscription.row.organisation_id
    today = app.now().astimezone(app.settings.tz).date()
    key = None
    if cache is not None:
        key = (subscription.row.id, data_stamp(session, organisation_id, today))
        found = cache.get(key)
        if found is not None:
            return found
    personal = report_link(app.settings, raw) if subscription.spec.kind == "contact" else None
    rendered = render_feed(session, app.settings, subscription.spec, organisation_id, today,
                           report_url=personal)
    if cache is not None:
        cache.put(key, rendered)
    return rendered


def report_redirect(session: Session, app: FeedKeys, raw: str) -> str | None:
    """Where a personal feed's report link leads: a new personal report link."""
    subscription = open_feed(session, raw, app.now())
    if subscription is None or subscription.spec.kind != "contact":
        return None
    email = subscription.spec.target.partition("/")[2]
    return issue_report_link(session, app.settings, email, subscription.row.organisation_id,
                             app.now(), label="calendar", flush=False)


def feed_for_file(
    session: Session, app: FeedKeys, spec: FeedSpec, today: date | None = None
) -> RenderedFeed:
    """The same feed as served, for `lokflow feed -o FILE`. A personal feed
    needs its subscription for its report links, so it is created if missing."""
    organisation_id, _ = organisation_of(session, spec)
    personal = None
    if spec.kind == "contact":
        raw = ensure(session, app, spec, label="personal").raw
        personal = report_link(app.settings, raw) if raw else None
    today = today or app.now().astimezone(app.settings.tz).date()
    return render_feed(session, app.settings, spec, organisation_id, today,
                       report_url=personal)
