"""`lokflow replies fetch`: read the reply mailbox once, record the reports
owners sent by replying, and send the answers."""

from __future__ import annotations

import asyncio
import imaplib

import typer

from lokflow.cli.context import console, fail, state
from lokflow.inbound.reading import NotConfigured, read_replies

replies = typer.Typer(help="Status reports sent by replying to lokflow's emails.",
                      no_args_is_help=True)


@replies.command()
def fetch(
    ctx: typer.Context,
    send: bool = typer.Option(True, help="Also send the answers that were queued."),
) -> None:
    """Read the reply mailbox (LOKFLOW_INBOUND_IMAP_URL) once and record what owners replied."""
    app = state(ctx).app
    try:
        summary = read_replies(app)
    except NotConfigured as error:
        raise fail(f"{error}: see README, 'Reporting by email'") from None
    except (imaplib.IMAP4.error, OSError) as error:
        raise fail(f"cannot read the reply mailbox: {type(error).__name__}: {error}") from None
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items())) or "nothing"
    console.print(f"read {summary.total} replies: {counts}")
    if send:
        report = asyncio.run(app.send_queued())
        console.print(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
