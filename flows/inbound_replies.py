"""Reads owners' replies from the reply mailbox (IMAP), records their status
reports, and sends the answers. An unreachable mailbox fails the task and
Prefect retries it; the replies wait in the mailbox meanwhile."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from lokflow.bootstrap import app_for_this_process
from lokflow.inbound.reading import read_replies


@task(name="read-replies", retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=30),
      cache_policy=NO_CACHE, persist_result=False)
def read_batch() -> dict[str, int]:
    return read_replies(app_for_this_process()).counts


@flow(name="inbound-replies", log_prints=False)
async def inbound_replies() -> dict[str, int]:
    counts = read_batch()
    report = await app_for_this_process().send_queued(worker="inbound-replies")
    return {**counts, "sent": report.sent}
