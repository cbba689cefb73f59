"""Who may do what: coordinators' accounts (`users`), API keys (`apikeys`) and
owners' personal report links (`links`)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lokflow.access.accounts import (
    AccountError,
    add_user,
    list_users,
    log_out_everywhere,
    set_password,
)
from lokflow.access.api_keys import (
    AccessKeyError,
    create_api_key,
    key_access,
    list_api_keys,
    revoke_api_key,
)
from lokflow.access.web_sessions import live_session_counts
from lokflow.cli.context import console, fail, state
from lokflow.reporting.report_links import (
    create_report_link,
    live_report_links,
    revoke_report_links,
)
from lokflow.texts.vocabulary import token_label

users_app = typer.Typer(help="Coordinators' local accounts: add, list, password, logout.",
                        no_args_is_help=True)
keys_app = typer.Typer(help="API keys for integrations: create, list, revoke.",
                       no_args_is_help=True)
links_app = typer.Typer(help="Owners' personal report links: create, list, revoke.",
                        no_args_is_help=True)
StdinOpt = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from standard input (for scripts).")]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The login name.")],
    name: Annotated[str, typer.Option(help="The name shown on pages and decisions.")] = "",
    organisation: Annotated[str | None, typer.Option(
        help="Organisation slug (e.g. tierp); leave out for an admin who sees all.")] = None,
    password_stdin: StdinOpt = False,
) -> None:
    """Create a coordinator account (the password is asked for, twice)."""
    app = state(ctx).app
    password = _password(password_stdin)
    with app.sessions.begin() as session:
        try:
            add_user(session, username, password, name or username, organisation, app.now())
        except AccountError as error:
            raise fail(str(error)) from None
    console.print(f"user {escape(username)} added ({organisation or 'all organisations'})")


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """List the coordinator accounts and how many live sessions each has."""
    app = state(ctx).app
    with app.sessions() as session:
        sessions = live_session_counts(session, app.now())
        table = Table("username", "name", "organisation", "created", "sessions")
        for user, org in list_users(session):
            table.add_row(escape(user.username), escape(user.display_name),
                          org or "(all)", user.created_at.date().isoformat(),
                          str(sessions.get(user.id, 0)))
    console.print(table)


@users_app.command("password")
def users_password(ctx: typer.Context, username: str, password_stdin: StdinOpt = False) -> None:
    """Set a new password (this also logs the user out everywhere)."""
    app = state(ctx).app
    password = _password(password_stdin)
    with app.sessions.begin() as session:
        try:
            set_password(session, username, password, app.now())
        except AccountError as error:
            raise fail(str(error)) from None
    console.print(f"password of {escape(username)} changed; every session of the user ended")


@users_app.command("logout")
def users_logout(ctx: typer.Context, username: Annotated[str, typer.Argument(
        help="The login name.")]) -> None:
    """End every session of a user at once (a lost laptop, someone who left)."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        try:
            count = log_out_everywhere(session, username, app.now())
        except AccountError as error:
            raise fail(str(error)) from None
    console.print(f"ended {count} session(s) of {escape(username)}")


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    organisation: Annotated[str, typer.Option(help="Organisation slug, e.g. tierp.")],
    label: Annotated[str, typer.Option(help="What the key is for, e.g. 'intranätet'.")],
    plan: Annotated[str | None, typer.Option(help="Limit the key to one plan.")] = None,
    days: Annotated[int | None, typer.Option(min=1, help="Expire after N days.")] = None,
    scope: Annotated[str, typer.Option(
        help="report (read and post status reports) or coordinator (also remind, decide "
             "dates, open rounds, compile the annual report).")] = "report",
) -> None:
    """Create an API key. It is printed once: store it in the integration."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        try:
            issued = create_api_key(session, organisation, label, app.now(), days, plan,
                                    access=scope)
        except AccessKeyError as error:
            raise fail(str(error)) from None
        key_id = issued.row.id
    console.print(f"API key #{key_id} for {organisation} ({scope}):")
    print(issued.raw)


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """List API keys (never the keys themselves)."""
    with state(ctx).app.read() as session:
        table = Table("id", "organisation", "plan", "scope", "label", "created", "expires",
                      "last used", "revoked")
        for row, org, plan in list_api_keys(session):
            table.add_row(str(row.id), org, plan or "(all)", key_access(row),
                          escape(row.label or ""),
                          _day(row.created_at), _day(row.expires_at), _day(row.last_used_at),
                          _day(row.revoked_at))
    console.print(table)


def _day(value: object) -> str:
    return str(value)[:10] if value else "–"


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: Annotated[int, typer.Argument(
        help="The id shown by `lokflow apikeys list`.")]) -> None:
    """Revoke an API key at once."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        try:
            changed = revoke_api_key(session, key_id, app.now())
        except AccessKeyError as error:
            raise fail(str(error)) from None
    console.print(f"API key #{key_id} {'revoked' if changed else 'was already revoked'}")


EmailArg = Annotated[str, typer.Argument(help="The contact's email address.")]


@links_app.command("create")
def links_create(
    ctx: typer.Context, email: EmailArg,
    organisation: Annotated[str, typer.Option(help="Organisation slug, e.g. tierp.")],
) -> None:
    """Issue a fresh personal report link for a contact (to send by hand)."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        try:
            url = create_report_link(session, app.settings, email, organisation, app.now())
        except AccessKeyError as error:
            raise fail(str(error)) from None
    print(url)


@links_app.command("list")
def links_list(ctx: typer.Context, email: EmailArg) -> None:
    """List a contact's live report links (when issued, when they expire)."""
    app = state(ctx).app
    with app.read() as session:
        table = Table("id", "issued", "expires", "last used", "label")
        for row in live_report_links(session, email, app.now()):
            table.add_row(str(row.id), _day(row.created_at), _day(row.expires_at),
                          _day(row.last_used_at), escape(token_label(row.label or "", "en")))
    console.print(table)


@links_app.command("revoke")
def links_revoke(ctx: typer.Context, email: EmailArg) -> None:
    """Revoke every live report link of a contact (e.g. someone left)."""
    app = state(ctx).app
    with app.sessions.begin() as session:
        count = revoke_report_links(session, email, app.now())
    console.print(f"{count} link(s) revoked")
