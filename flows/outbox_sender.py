"""The outbox sender: delivers queued messages. When the SMTP server cannot be
reached the task fails and Prefect retries it with exponential backoff; the
messages stay queued in the meantime and are never lost."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from lokflow.bootstrap import app_for_this_process
from lokflow.delivery.transports import TransientFailure


@task(name="send-queued", retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=30),
      cache_policy=NO_CACHE, persist_result=False)
async def send_batch() -> dict[str, int]:
    report = await app_for_this_process().send_queued(worker="outbox-sender")
    if report.errors and report.sent == 0 and report.retried:
        raise TransientFailure("; ".join(sorted(set(report.errors))))
    return {"sent": report.sent, "retry": report.retried, "failed": report.failed,
            "lost_lease": report.lost_lease}


@flow(name="outbox-sender", log_prints=False)
async def outbox_sender() -> dict[str, int]:
    return await send_batch()
