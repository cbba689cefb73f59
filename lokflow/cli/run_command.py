"""`lokflow run`: the main job on the embedded default.

Loads the plans, starts a local Prefect server (unless PREFECT_API_URL points
at one), deploys, starts a process worker, runs one safety sweep at once, and
keeps everything running until Ctrl-C; then stops what it started, by PID.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Annotated

import typer

from lokflow.cli import plan_commands, sync_command
from lokflow.cli.context import console, fail, state
from lokflow.orchestration.local_prefect import LocalPrefect, prefect_environment


def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option(help="Set everything up, run one sweep, then stop "
                                            "(for checks and CI).")] = False,
) -> None:
    """Load the plans and run the scheduler: reminders, escalations, rounds, sender."""
    cli = state(ctx)
    sync_command.sync(ctx, None, skip_edited=True)
    remote = cli.settings.prefect_api_url
    if remote:
        os.environ["PREFECT_API_URL"] = remote  # for Prefect's client in this process
    local = None if remote else LocalPrefect(cli.settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        if local is not None:
            os.environ.update(prefect_environment(cli.settings))
            console.print("starting the local Prefect server …")
            local.start_server()
        from lokflow.cli.engine_commands import deploy_now

        summary = deploy_now(cli.app)
        console.print(f"Prefect deployments: {len(summary.created)} created, "
                      f"{len(summary.updated)} updated, {summary.unchanged} unchanged")
        if local is not None:
            local.start_worker()
        _start_sweep()
        ui = local.ui_url if local else remote.removesuffix("/api")
        where = cli.settings.smtp_url.split("@")[-1] if cli.settings.smtp_url else str(
            cli.settings.maildir)
        console.print(f"Prefect UI: {ui}\nmail goes to: {where}\n"
                      f"web app: run `lokflow serve` ({cli.settings.base_url})")
        plan_commands.plans(ctx)
        if once:
            _wait_for_sweep()
            return
        console.print("running; Ctrl-C stops")
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as error:
        raise fail(str(error)) from None
    finally:
        if local is not None:
            console.print("stopping the worker and the Prefect server …")
            local.stop()


def _start_sweep() -> None:
    from prefect.deployments import run_deployment

    run = run_deployment("safety-sweep/daily", timeout=0)
    console.print(f"safety sweep started: flow run {getattr(run, 'name', run)}")


def _wait_for_sweep() -> None:
    """With --once: wait for the sweep's flow run to finish (the worker runs it)."""
    import asyncio
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    async def latest_state() -> str | None:
        async with get_client() as client:
            runs = await client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=["safety-sweep"])), limit=1)
            return runs[0].state.type.value if runs and runs[0].state else None

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state_now = asyncio.run(latest_state())
        if state_now in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            console.print(f"safety sweep: {state_now.lower()}")
            return
        time.sleep(2)
    console.print("the safety sweep did not finish within 5 minutes")
