"""The flows and `lokflow deploy` on Prefect's test harness (a real, temporary
Prefect server), with mail to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName

from lokflow.bootstrap import bootstrap
from lokflow.orchestration.deployment_specs import desired_deployments
from lokflow.orchestration.prefect_sync import sync_deployments
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings
from tests.conftest import FIXTURES, FixedClock
from tests.support.smtp_server import SmtpServer

KIM = "kim@testby.example.org"


@pytest.fixture
def env_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             smtp_server: SmtpServer) -> Path:
    """The flows build their app from the environment, as on a worker."""
    home = tmp_path / "home"
    monkeypatch.setenv("LOKFLOW_HOME", str(home))
    monkeypatch.setenv("LOKFLOW_SMTP_URL", smtp_server.url)
    plan = tmp_path / "testby.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", plan)
    # The yearly item's 1 Oct 2024 has passed when these flows first run (29 Nov):
    # its owners would get a late notice; these tests count one reminder.
    plan.write_text(plan.read_text(encoding="utf-8").replace("timeline: Årligen",
                                                              "timeline: Vid behov"),
                    encoding="utf-8")
    sync_file(plan)
    return plan


def sync_file(plan: Path) -> None:
    app = bootstrap(Settings(_env_file=None))  # type: ignore[call-arg]
    plans, errors = read_plans([plan])
    assert not errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, FixedClock(datetime(2024, 1, 1, tzinfo=UTC)))
    app.close()


async def task_runs_named(name: str) -> list[str]:
    async with get_client() as client:
        runs = await client.read_task_runs(
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(any_=[name])))
        return [r.state.type.value for r in runs if r.state]


async def events_of(resource: str) -> list[dict]:
    """Events are written asynchronously by the server: wait for them briefly."""
    async with get_client() as client:
        for _ in range(50):
            response = await client.request("POST", "/events/filter", json={
                "filter": {"resource": {"id": [resource]}, "occurred": {
                    "since": "2000-01-01T00:00:00Z"}}, "limit": 50})
            events: list[dict] = response.json()["events"]
            if events:
                return events
            await asyncio.sleep(0.2)
    return []


async def activity_events(resource: str) -> list[tuple[str, str]]:
    return [(e["event"], e["resource"]["prefect.resource.name"])
            for e in await events_of(resource)]


def test_activity_flow_decides_sends_and_names_task_runs_by_activity(
    prefect_harness: None, env_home: Path, smtp_server: SmtpServer
) -> None:
    from flows.activity_reminders import activity_reminders
    from flows.safety_sweep import safety_sweep

    result = asyncio.run(activity_reminders(["testby"], today="2024-11-29"))
    assert (result["queued"], result["sent"], result["reminder"]) == (1, 1, 1)
    assert [str(m["To"]) for m in smtp_server.messages] == [f"Kim Kultur <{KIM}>"]
    assert asyncio.run(task_runs_named("testby/k-1.1")) == ["COMPLETED"]
    assert asyncio.run(activity_events("lokflow.activity.testby.k-1.1")) == [
        ("lokflow.activity.reminder", "testby/k-1.1")]

    again = asyncio.run(activity_reminders(["testby"], today="2024-11-29"))
    sweep = asyncio.run(safety_sweep(today="2024-11-29", refresh=False))
    assert again["queued"] == 0 and sweep["queued"] == 0
    assert len(smtp_server.messages) == 1


def test_a_run_above_the_events_bound_posts_one_event_per_plan_listing_its_activities(
    prefect_harness: None, env_home: Path, smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.activity_reminders import activity_reminders

    monkeypatch.setenv("LOKFLOW_ACTIVITY_EVENTS_MAX", "0")
    result = asyncio.run(activity_reminders(["testby"], today="2024-11-29"))
    assert result["sent"] == 1
    [event] = asyncio.run(events_of("lokflow.plan.testby"))
    assert (event["event"], event["resource"]["lokflow.organisation"]) == (
        "lokflow.plan.activities-due", "testby")
    assert [(a["name"], a["owners"], a["due"], [n["kind"] for n in a["notices"]])
            for a in event["payload"]["activities"]] == [
        ("testby/k-1.1", ["kultur"], ["2024-12-31"], ["reminder"])]


def test_activity_events_switch_to_one_per_plan_above_the_bound() -> None:
    from flows.activity_events import activity_events
    from lokflow.domain.due_actions import DueAction, Person
    from lokflow.plans.activity_labels import ActivityLabel

    labels = {n: ActivityLabel("org", f"plan-{n % 2}", f"k-{n}", ("kultur",)) for n in range(5)}
    kim = Person(KIM, "Kim")
    actions = [DueAction(date(2024, 11, 29), n, "2024", "reminder", "30d", kim,
                         date(2024, 12, 31)) for n in range(5)]
    per_activity = activity_events(actions, labels, "run-1", per_activity_max=5)
    assert [e.resource.id for e in per_activity] == [
        f"lokflow.activity.plan-{n % 2}.k-{n}" for n in range(5)]
    per_plan = activity_events(actions, labels, "run-1", per_activity_max=4)
    assert [(e.resource.id, [a["activity"] for a in e.payload["activities"]])
            for e in per_plan] == [("lokflow.plan.plan-0", ["k-0", "k-2", "k-4"]),
                                   ("lokflow.plan.plan-1", ["k-1", "k-3"])]
    assert all(e.related[0].id == "prefect.flow-run.run-1" for e in per_plan)


def _specs() -> list:
    app = bootstrap(Settings(_env_file=None))  # type: ignore[call-arg]
    with app.sessions() as session:
        specs = desired_deployments(session, app.settings, date(2024, 11, 20))
    app.close()
    return specs


async def clear_deployments() -> None:
    """The harness is one server for the whole session: start from none."""
    async with get_client() as client:
        for deployment in await client.read_deployments():
            await client.delete_deployment(deployment.id)


def test_deploy_is_idempotent_and_an_edit_touches_only_its_plan(
    prefect_harness: None, env_home: Path, tmp_path: Path
) -> None:
    code = Path(__file__).resolve().parents[2]
    asyncio.run(clear_deployments())
    specs = _specs()
    assert [s.full_name for s in specs] == [
        "activity-reminders/testby", "annual-report/testby", "safety-sweep/daily",
        "reporting-rounds/daily", "outbox-sender/every-10-minutes"]
    activity = specs[0]
    assert activity.tags == ("lokflow", "org:testby", "plan:testby", "owner:foreningarna",
                             "owner:kultur")
    # k-1.1 is due 2024-12-31: reminders on 29 Nov (1 Dec is a Sunday), 23 Dec
    # (24 Dec is julafton) and 30 Dec; escalation from 2 Jan.
    for day in ("20241129", "20241223", "20241230", "20250102"):
        assert f"{day}T073000" in activity.schedules[0].value

    first = asyncio.run(sync_deployments(specs, work_pool="lokflow-test", code_dir=code))
    assert len(first.created) == 5 and first.unchanged == 0
    second = asyncio.run(sync_deployments(_specs(), work_pool="lokflow-test", code_dir=code))
    assert (second.created, second.updated, second.unchanged) == ([], [], 5)

    env_home.write_text(env_home.read_text().replace('timeline: "2024"',
                                                     'timeline: "2025-03-31"'))
    sync_file(env_home)
    edited = _specs()
    assert "20241129T073000" not in edited[0].schedules[0].value
    third = asyncio.run(sync_deployments(edited, work_pool="lokflow-test", code_dir=code))
    assert third.updated == ["activity-reminders/testby"] and third.unchanged == 4

    async def schedule_of(name: str) -> str:
        async with get_client() as client:
            deployment = await client.read_deployment_by_name(name)
            return str(deployment.schedules[0].schedule.rrule)  # type: ignore[union-attr]

    rule = asyncio.run(schedule_of("activity-reminders/testby"))
    assert "20241129T073000" not in rule and "20250228T073000" in rule
