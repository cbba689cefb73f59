"""Send what a coordinator's action queued right after the answer is sent:
"Skicka påminnelse nu" means now, not at the next 10-minute sender run. The
outbox's leases keep this sender and the scheduled ones from sending twice."""

from __future__ import annotations

import logging

from fastapi import BackgroundTasks

from lokflow.bootstrap import App

LOG = logging.getLogger("lokflow.web")


async def _send(app: App) -> None:
    try:
        report = await app.send_queued(worker="web-action")
    except Exception:  # the outbox keeps the messages; the next sender run takes them
        LOG.exception("sending after a coordinator's action failed")
        return
    if report.failed:
        LOG.warning("sending after a coordinator's action: %s failed", report.failed)


def send_soon(background: BackgroundTasks, app: App) -> None:
    background.add_task(_send, app)
