"""Calendar feed commands: `lokflow feeds list|create|revoke` and `lokflow feed`."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from lokflow.access.tokens import hash_token
from lokflow.cli.context import console, fail, state
from lokflow.feeds.service import feed_for_file
from lokflow.feeds.specs import spec_from_options
from lokflow.feeds.subscriptions import (
    FeedSpec,
    Subscription,
    UnknownTarget,
    ensure,
    links,
    revoke,
    subscriptions,
)
from lokflow.store import tables as t
from lokflow.texts.vocabulary import token_label

feeds = typer.Typer(help="Calendar feed subscriptions: list, create, revoke.",
                    no_args_is_help=True)

PlanOpt = Annotated[str | None, typer.Option("--plan", help="Plan slug.")]
OwnerOpt = Annotated[str | None, typer.Option("--owner", help="Unit id or name (with --plan).")]
ContactOpt = Annotated[str | None, typer.Option("--contact", help="A contact's email.")]
OrgOpt = Annotated[str | None, typer.Option("--organisation", help="Organisation slug.")]
AlarmOpt = Annotated[bool, typer.Option("--alarm/--no-alarm",
                                        help="Add a reminder before each event.")]
LanguageOpt = Annotated[str | None, typer.Option("--language", help="sv or en.")]


def _spec(ctx: typer.Context, plan: str | None, owner: str | None, contact: str | None,
          organisation: str | None, alarm: bool, language: str | None) -> FeedSpec:
    cli = state(ctx)
    if language not in (None, "sv", "en"):
        raise fail("--language must be sv or en")
    with cli.app.read() as session:
        try:
            return spec_from_options(session, plan=plan, owner=owner, contact=contact,
                                     organisation=organisation, alarm=alarm, language=language,
                                     default_language=cli.settings.language)
        except UnknownTarget as error:
            raise fail(f"no such plan, unit, contact or organisation: {error}") from None
        except ValueError as error:
            raise fail(str(error)) from None


@feeds.command("create")
def create(ctx: typer.Context, plan: PlanOpt = None, owner: OwnerOpt = None,
           contact: ContactOpt = None, organisation: OrgOpt = None, alarm: AlarmOpt = True,
           language: LanguageOpt = None,
           label: Annotated[str | None, typer.Option(help="A note for the list.")] = None) -> None:
    """Create a feed subscription (or show the live one) and print its links."""
    app = state(ctx).app
    spec = _spec(ctx, plan, owner, contact, organisation, alarm, language)
    with app.sessions.begin() as session:
        subscription = ensure(session, app, spec, label=label)
        token_id, raw = subscription.row.id, subscription.raw
    assert raw is not None
    found = links(app.settings, raw)
    console.print(f"feed {token_id}: {spec.kind} {escape(spec.target)}", highlight=False)
    for name, url in (("https", found.https), ("webcal", found.webcal),
                      ("google", found.google)):
        console.print(f"  {name:7} {url}", highlight=False)


@feeds.command("list")
def list_feeds(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include revoked feeds.")] = False,
) -> None:
    """List feed subscriptions with their URLs (recomputed; never stored)."""
    app = state(ctx).app
    with app.read() as session:
        found = subscriptions(session, app, include_revoked=all_)
        lines = [line for item in found for line in _lines(item, app.settings.base_url)]
    for line in lines or ["no feeds"]:
        console.print(line, highlight=False, markup=False)


def _lines(item: Subscription, base_url: str) -> list[str]:
    row = item.row
    options = f"{item.spec.language}, {'alarm' if item.spec.alarm else 'no alarm'}, v{item.version}"
    dates = [f"created {_day(row.created_at)}"]
    if row.last_used_at:
        dates.append(f"used {_day(row.last_used_at)}")
    if row.revoked_at:
        dates.append(f"revoked {_day(row.revoked_at)}")
    label = f"  \"{token_label(row.label, 'en')}\"" if row.label else ""
    url = f"{base_url.rstrip('/')}/feeds/{item.raw}.ics" if item.raw else "(secret key changed)"
    return [f"{row.id:>4}  {item.spec.kind:<12} {item.spec.target}  [{options}]{label}  "
            + ", ".join(dates), f"      {url}"]


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


@feeds.command("revoke")
def revoke_feed(
    ctx: typer.Context,
    which: Annotated[str, typer.Argument(help="The feed's id, URL or token.")],
) -> None:
    """Revoke a feed: its URL answers 404 from now on."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        token_id = _token_id(session, which)
        if token_id is None or not revoke(session, app, token_id):
            raise fail(f"no live feed {which!r}")
    console.print(f"revoked feed {token_id}")


def _token_id(session: Session, which: str) -> int | None:
    if which.isdigit():
        return int(which)
    raw = which.rstrip("/").rsplit("/", 1)[-1].removesuffix(".ics")
    return session.scalar(select(t.AccessToken.id).where(
        t.AccessToken.token_hash == hash_token(raw)))


def feed(
    ctx: typer.Context, plan: PlanOpt = None, owner: OwnerOpt = None, contact: ContactOpt = None,
    organisation: OrgOpt = None, alarm: AlarmOpt = True, language: LanguageOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="File to write (default: stdout).")] = None,
    today: Annotated[str | None, typer.Option(help="Build as if today were this date.")] = None,
) -> None:
    """Write a calendar feed (.ics), the same as the web app serves."""
    app = state(ctx).app
    spec = _spec(ctx, plan, owner, contact, organisation, alarm, language)
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise fail(f"--today: not an ISO date: {today!r}") from None
    with app.sessions.begin() as session:
        rendered = feed_for_file(session, app, spec, day)
    if output is None:
        sys.stdout.buffer.write(rendered.body)
        return
    output.write_bytes(rendered.body)
    console.print(f"wrote {output}: {rendered.events} events, {len(rendered.body)} bytes",
                  highlight=False)
