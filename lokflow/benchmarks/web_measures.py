"""Figures over the web app and the report renderer: `feed` (a 1,000-event
owner feed over real HTTP, its 304, and the same feed while another process
syncs plans) and `report` (one plan's annual report, and all plans'), plus
the web app's peak memory."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from lokflow.benchmarks.dataset import plan_document
from lokflow.benchmarks.figures import Figure
from lokflow.benchmarks.http_probe import conditional_rounds, percentiles, serve
from lokflow.benchmarks.sync_load import sync_loop
from lokflow.bootstrap import App, bootstrap
from lokflow.devtools.processes import Children
from lokflow.plans.plan_files import PlanFile
from lokflow.plans.plan_loading import sync_plans
from lokflow.settings import Settings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
REQUESTS = 60
SYNC_START_SECONDS = 300  # a national sync's first transaction starts after its set-up
T = TypeVar("T")


def run(scratch: Path, size: Any, only: tuple[str, ...], children: Children,
        main: App) -> Iterator[Figure]:
    if "feed" in only:
        yield from _feed(scratch, size, children)
    if "report" in only:
        yield from _reports(main, size)


def _feed_plan(events: int) -> PlanFile:
    """One organisation whose unit `kultur` owns `events` dated activities."""
    document = plan_document(999, events).model_dump(mode="json")
    today = date.today()
    years = [str(today.year + offset) for offset in (0, 1, 2)]
    for commitment in document["commitments"]:
        for n, activity in enumerate(commitment["activities"]):
            activity["owners"] = ["kultur"]
            activity["timeline"] = f"{years[n % 3]}-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}"
    parsed = type(plan_document(1, 1)).model_validate(document)
    return PlanFile(Path("feed.yaml"), parsed, "feed")


def _feed(scratch: Path, size: Any, children: Children) -> Iterator[Figure]:
    from lokflow.feeds.subscriptions import FeedSpec, ensure, links

    home = scratch / "feed"
    settings = Settings(home=home, database_url="", _env_file=None)
    app = bootstrap(settings, clock=lambda: datetime.now(UTC))
    with app.sessions.begin() as session:
        sync_plans(session, [_feed_plan(size.feed_events)], app.clock)
        subscription = ensure(session, app, FeedSpec(kind="owner", target="kommun999/kultur"))
    assert subscription.raw is not None
    app.close()
    base, server = serve(children, home, "web")
    url = links(settings, subscription.raw).https.replace(settings.base_url, base)
    with httpx.Client(timeout=30) as client:
        first = client.get(url)
        first.raise_for_status()
        events = first.text.count("BEGIN:VEVENT")
        full, fresh, health = conditional_rounds(client, url, base, first.headers["etag"],
                                                 REQUESTS)
    rss = _peak_rss_mib(server.pid)
    p50, p95 = percentiles(full)
    n50, n95 = percentiles(fresh)
    _, h95 = percentiles(health)
    yield Figure("feed: p95 of a full answer", p95, "ms", "p95 of GET /healthz, same server",
                 h95, "p95 < 50 ms", p95 < 50,
                 extra={"p50_ms": round(p50, 2), "events": events, "bytes": len(first.content)})
    yield Figure("feed: p95 of a 304", n95, "ms", "p95 of GET /healthz, same server", h95,
                 "p95 < 5 ms", n95 < 5, extra={"p50_ms": round(n50, 2)})
    yield Figure("memory: web app", rss, "MiB", target="peak RSS after the feed requests")
    yield _feed_during_sync(url, home, size, p95)


def _feed_during_sync(url: str, home: Path, size: Any, idle_p95: float) -> Figure:
    """The same feed while another process syncs the national plans into the
    same database again and again: each sync holds SQLite's write lock for its
    whole transaction, and a read must not wait for it. The synced plans are
    other organisations', so the feed's own cache stays valid: what differs
    from the idle figure is the writer, not the work."""
    client = httpx.Client(timeout=30)
    client.get(url).raise_for_status()  # a warm connection, as the idle figure had
    context = multiprocessing.get_context("spawn")
    stop, syncing, syncs = context.Event(), context.Value("i", 0), context.Value("i", 0)
    writer = context.Process(target=sync_loop, name="bench-sync-loop", daemon=True, args=(
        str(home), size.organisations, size.activities, stop, syncing, syncs))
    writer.start()
    samples: list[float] = []
    inside = 0
    try:
        deadline = time.monotonic() + SYNC_START_SECONDS
        while not syncing.value:
            if not writer.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sync process did not start a sync")
            time.sleep(0.01)
        for _ in range(REQUESTS):
            held = syncing.value
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            inside += bool(held and syncing.value)
    finally:
        client.close()
        stop.set()
        writer.join(timeout=SYNC_START_SECONDS)
        if writer.is_alive():
            writer.terminate()
            writer.join()
    p50, p95 = percentiles(samples)
    return Figure("feed: p95 while a sync runs", p95, "ms",
                  "p95 of the same feed, no writer (above)", idle_p95, "p95 < 50 ms", p95 < 50,
                  extra={"p50_ms": round(p50, 2), "syncs_done": syncs.value,
                         "requests_inside_a_sync_transaction": inside,
                         "synced_plans": size.organisations,
                         "synced_activities": size.organisations * size.activities})


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class ReportTimes:
    snapshot: float
    html: float
    pdf: float
    cpu: float  # processor time of all three: what a busy machine cannot hide
    data: str  # the PDF's document, for the floor
    created: str


def _one_report(home: str, slug: str) -> ReportTimes:
    """One plan's snapshot, HTML and PDF, each timed (run in a worker)."""
    from lokflow.annual_report.archive import find_plan
    from lokflow.annual_report.html import render_html
    from lokflow.annual_report.pdf import compile_document, document_data
    from lokflow.annual_report.snapshot import compile_snapshot

    app = bootstrap(Settings(home=Path(home), database_url="", _env_file=None))
    moment = datetime(2024, 11, 30, 18, tzinfo=STOCKHOLM)
    start, cpu = time.perf_counter(), time.process_time()
    with app.sessions() as session:
        snapshot = compile_snapshot(session, find_plan(session, slug), 2024, moment, moment,
                                    STOCKHOLM)
    snapshot_seconds = time.perf_counter() - start
    start = time.perf_counter()
    render_html(snapshot, "sv", None)
    html_seconds = time.perf_counter() - start
    start = time.perf_counter()
    data = document_data(snapshot, "sv", None)  # render_pdf is exactly these two calls
    compile_document(data, snapshot["compiled_at"])
    pdf_seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    app.close()
    return ReportTimes(snapshot_seconds, html_seconds, pdf_seconds, cpu, data,
                       snapshot["compiled_at"])


def _typst_alone(data: str, created: str) -> float:
    """The floor: Typst compiling a finished document, nothing else."""
    from lokflow.annual_report.pdf import forget_layouts, typst_pdf

    start = time.perf_counter()
    typst_pdf(data, created)
    seconds = time.perf_counter() - start
    forget_layouts()  # as after every report, outside the floor
    return seconds


def _in_fresh_process(function: Callable[..., T], *args: Any) -> T:
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _reports(main: App, size: Any) -> Iterator[Figure]:
    home = str(main.settings.home)
    slugs = [f"kommun{n:03d}" for n in range(1, size.organisations + 1)]
    # One plan as `lokflow annual-report` makes it: a fresh process, so the
    # PDF includes loading the fonts and the template. The floor is Typst
    # alone on the same document, also in a fresh process (Typst memoises
    # layouts, so a second compile in the same process would be too cheap).
    # Two processes then make every plan's report; the floor is Typst alone
    # compiling the same documents again in two fresh processes.
    # Each the best of three fresh processes: the least disturbed by a busy machine.
    one = min((_in_fresh_process(_one_report, home, slugs[0]) for _ in range(3)),
              key=lambda r: r.snapshot + r.pdf)
    floor = min(_in_fresh_process(_typst_alone, one.data, one.created) for _ in range(3))
    yield Figure("report: one plan, HTML", one.snapshot + one.html, "s",
                 target="snapshot + HTML", extra={"activities": size.activities})
    pdf = one.snapshot + one.pdf
    yield Figure("report: one plan, PDF", pdf, "s",
                 "Typst alone on the same document, fresh process", floor,
                 target="snapshot + PDF, fresh process: < 0.5 s", ok=pdf < 0.5,
                 extra={"snapshot_s": round(one.snapshot, 3), "document_json_bytes": len(one.data)})
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_one_report, [home] * len(slugs), slugs))
    wall = time.perf_counter() - start
    with ProcessPoolExecutor(max_workers=2) as pool:
        alone = list(pool.map(_typst_alone, [r.data for r in results],
                              [r.created for r in results]))
    yield Figure(f"report: all {len(slugs)} plans, HTML and PDF", wall, "s",
                 "Typst alone on the same documents, summed / 2 processes", sum(alone) / 2,
                 "two processes, like two workers: < 60 s", wall < 60,
                 extra={"plans": len(slugs),
                        "per_plan_s": round(sum(r.snapshot + r.html + r.pdf
                                                for r in results) / len(slugs), 3),
                        "cpu_per_plan_s": round(sum(r.cpu for r in results) / len(slugs), 3),
                        "pdf_share_s": round(sum(r.pdf for r in results) / 2, 1)})
