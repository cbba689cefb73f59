"""Annual reports of all five bundled plans over a seeded, multi-year history
(real SQLite through the migrations, the real services, a FixedClock moved
by hand). The numbers in each report are recomputed here straight from the
tables, and the PDF, XLSX and rebuilds are checked with outside tools: the
PDF's tag tree and text (poppler, pikepdf) must say what the HTML says."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from lokflow.annual_report import presentation
from lokflow.annual_report.archive import compile_and_store, get_report, rebuild
from lokflow.annual_report.committee_words import label as readable_label
from lokflow.annual_report.snapshot import compile_snapshot
from lokflow.bootstrap import App, bootstrap
from lokflow.cli.app import app as cli
from lokflow.domain.overdue import overdue_occurrences
from lokflow.domain.plan_schedules import schedule_from_json
from lokflow.plans.plan_queries import plan_calendar
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.texts.annual_report import status_label
from tests.conftest import PLANS, FixedClock
from tests.support.pdf_structure import (
    html_content,
    normalized,
    pdf_metadata,
    pdfinfo,
    struct_attributes,
    tag_tree,
)
from tests.support.report_history import (
    HOSTILE,
    REPORT_YEARS,
    Seeded,
    seeded_copy,
)

ZONE = ZoneInfo("Europe/Stockholm")
SLUGS = sorted(REPORT_YEARS)
HEADINGS = ("Årlig uppföljning", "Sammanfattning", "Återkommande och löpande aktiviteter",
            "Försenade aktiviteter", "Aktiviteter utan rapport", "Framåtblick", "Om underlaget",
            "Svarsfrekvens per ansvarig", "Utvärdering och omförhandling")


def follow_up_moment(app: App, slug: str, year: int) -> datetime:
    with app.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).one()
        month, day = (int(x) for x in plan.document["follow_up"]["annual_date"].split("-"))
    return datetime.combine(date(year, month, day), time(20, 0), ZONE)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, Seeded, Path]]:
    """The bundled plans with their seeded history (a copy of the run's one)."""
    home = tmp_path_factory.mktemp("annual") / "home"
    seeding, stopped_at = seeded_copy(tmp_path_factory, home, None,
                                      datetime(2017, 1, 2, tzinfo=UTC))
    settings = Settings(home=home, database_url="", plans_dir=PLANS, _env_file=None)
    app = bootstrap(settings, clock=FixedClock(stopped_at))
    yield app, seeding, home
    app.close()


@pytest.fixture(scope="module")
def reports(seeded: tuple[App, Seeded, Path]) -> dict[str, int]:
    """One stored report per plan on its follow-up day, and before them Tierp's
    2023 snapshot (stored without its PDF, to save time) for Tierp's 2024
    report to compare with."""
    app, _, _ = seeded
    last_year = follow_up_moment(app, "tierp", 2023)
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "tierp")).one()
        old = t.AnnualReport(plan_id=plan.id, year=2023, language="sv", pdf=None,
                             created_at=last_year, snapshot=compile_snapshot(
                                 session, plan, 2023, last_year, last_year, ZONE))
        session.add(old)
        session.flush()
        found = {"tierp-2023": old.id}
    for slug, year in sorted(REPORT_YEARS.items()):
        moment = follow_up_moment(app, slug, year)
        with app.sessions.begin() as session:
            found[slug] = compile_and_store(session, slug, year, moment, zone=ZONE,
                                            as_of=moment).id
    return found


def snapshot_of(app: App, report_id: int) -> dict[str, Any]:
    with app.sessions() as session:
        return dict(session.get_one(t.AnnualReport, report_id).snapshot)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- independent recomputation, straight from the tables -----------------------------

def _latest(session: Session, activity_id: int, as_of: datetime, *,
            before: datetime | None = None, keys: list[str] | None = None,
            prefix: str | None = None) -> t.StatusReport | None:
    query = select(t.StatusReport).where(t.StatusReport.activity_id == activity_id,
                                         t.StatusReport.created_at <= as_of)
    if before is not None:
        query = query.where(t.StatusReport.created_at < before)
    if keys is not None:
        query = query.where(t.StatusReport.occurrence_key.in_(keys))
    if prefix is not None:
        query = query.where(t.StatusReport.occurrence_key.startswith(prefix))
    return session.scalars(query.order_by(t.StatusReport.created_at.desc(),
                                          t.StatusReport.id.desc()).limit(1)).first()


def _status_for_year(session: Session, activity: t.Activity, year: int,
                     as_of: datetime) -> str | None:
    kind = activity.schedule["kind"]
    if kind == "yearly":
        found = _latest(session, activity.id, as_of, keys=[str(year)])
    elif kind == "rrule":
        found = _latest(session, activity.id, as_of, prefix=f"{year}-")
    else:
        found = _latest(session, activity.id, as_of)
    return found.status if found else None


def _expected(session: Session, activity: t.Activity, year_start: datetime,
              as_of: datetime) -> bool:
    if activity.schedule["kind"] == "follow_up":
        return False  # a commitment to follow up is judged in the joint assessment
    starts = activity.schedule.get("start") or activity.schedule.get("dtstart")
    if starts and int(starts[:4]) > year_start.year:
        return False
    if activity.schedule["kind"] not in ("deadline", "window"):
        return True
    before = _latest(session, activity.id, as_of, before=year_start)
    return before is None or before.status not in ("done", "cancelled")


def _reported_this_year(session: Session, activity_id: int, year_start: datetime,
                        as_of: datetime) -> int:
    return session.scalar(select(func.count()).select_from(t.StatusReport).where(
        t.StatusReport.activity_id == activity_id, t.StatusReport.created_at >= year_start,
        t.StatusReport.created_at <= as_of)) or 0


def database_facts(app: App, slug: str, year: int, as_of: datetime) -> dict[str, Any]:
    year_start = datetime(year, 1, 1, tzinfo=ZONE)
    with app.sessions() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == slug)).one()
        activities = list(session.scalars(select(t.Activity).where(
            t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))
            .order_by(t.Activity.position)))
        statuses = {a.key: _status_for_year(session, a, year, as_of) for a in activities}
        expected = {a.key for a in activities if _expected(session, a, year_start, as_of)}
        reported = {a.key for a in activities
                    if _reported_this_year(session, a.id, year_start, as_of)}
        finished = set(session.scalars(
            select(t.Activity.key).join(t.StatusReport).where(
                t.Activity.plan_id == plan.id, t.StatusReport.status == "done",
                t.StatusReport.created_at >= year_start, t.StatusReport.created_at <= as_of)))
        owners: dict[str, set[str]] = {}
        for unit_key, activity_key in session.execute(
                select(t.Unit.key, t.Activity.key).select_from(t.ActivityOwner)
                .join(t.Unit, t.Unit.id == t.ActivityOwner.unit_id)
                .join(t.Activity, t.Activity.id == t.ActivityOwner.activity_id).where(
                    t.Activity.plan_id == plan.id, t.Activity.archived.is_(False))):
            owners.setdefault(unit_key, set()).add(activity_key)
        overdue = _overdue(session, plan, activities, as_of)
        moved = session.scalar(select(func.count()).select_from(t.DateChange).join(
            t.Activity).where(t.Activity.plan_id == plan.id, t.DateChange.decision == "accepted",
                              t.DateChange.decided_at <= as_of))
        escalated = {(a, o, level) for a, o, level in session.execute(
            select(t.Activity.key, t.OutboxItem.occurrence_key, t.OutboxItem.level)
            .join(t.Activity, t.Activity.id == t.OutboxItem.activity_id).where(
                t.Activity.plan_id == plan.id, t.OutboxItem.kind == "escalation",
                t.OutboxItem.created_at <= as_of))}
    return {"keys": [a.key for a in activities], "statuses": statuses, "expected": expected,
            "reported": reported, "finished": finished, "owners": owners, "overdue": overdue,
            "moved": moved, "escalated": escalated}


def _overdue(session: Session, plan: t.Plan, activities: list[t.Activity],
             as_of: datetime) -> set[tuple[str, str]]:
    """With the coordinator pages' own overdue rule (lokflow.domain.overdue)."""
    day = as_of.astimezone(ZONE).date()
    found = set()
    for activity in activities:
        keys = set(session.scalars(select(t.StatusReport.occurrence_key).where(
            t.StatusReport.activity_id == activity.id)))
        resolved = {k for k in keys if (r := _latest(session, activity.id, as_of, keys=[k]))
                    and r.status in ("done", "cancelled")}
        moved = {c.occurrence_key: c.proposed_date for c in session.scalars(
            select(t.DateChange).where(t.DateChange.activity_id == activity.id,
                                       t.DateChange.decision == "accepted",
                                       t.DateChange.decided_at <= as_of)
            .order_by(t.DateChange.decided_at, t.DateChange.id))}
        for occurrence in overdue_occurrences(
                schedule_from_json(activity.schedule), plan_calendar(plan),
                date(plan.period_start - 1, 1, 1), day, resolved, moved):
            found.add((activity.key, occurrence.key))
    return found


# --- the tests ----------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_numbers_equal_what_the_database_holds(seeded: tuple[App, Seeded, Path],
                                               reports: dict[str, int], slug: str) -> None:
    app, _, _ = seeded
    snapshot = snapshot_of(app, reports[slug])
    as_of = datetime.fromisoformat(snapshot["as_of"])
    db = database_facts(app, slug, REPORT_YEARS[slug], as_of)
    summary = snapshot["summary"]
    entries = {e["key"]: e for e in snapshot["activities"]}

    assert list(entries) == db["keys"] and summary["activities"] == len(db["keys"])
    assert {k: e["status"] for k, e in entries.items()} == db["statuses"]
    counted = Counter(s or "none" for s in db["statuses"].values())
    assert {k: v for k, v in summary["by_status"].items() if v} == dict(counted)
    assert sum(p["total"] for p in summary["by_party"]) == len(db["keys"])
    assert summary["finished_this_year"] == len(db["finished"])
    assert summary["expected"] == len(db["expected"])
    assert summary["reported"] == len(db["expected"] & db["reported"])
    assert set(snapshot["no_report"]) == db["expected"] - db["reported"]
    for row in snapshot["response"]:
        mine = db["owners"][row["unit"]]
        assert (row["owned"], row["expected"], row["reported"]) == (
            len(mine), len(mine & db["expected"]), len(mine & db["expected"] & db["reported"]))
    late = {(item["key"], o["occurrence"]) for item in snapshot["overdue"]
            for o in item["occurrences"]}
    assert late == db["overdue"]
    assert summary["overdue"] == len({key for key, _ in db["overdue"]})
    assert sum(len(e["date_changes"]) for e in entries.values()) == db["moved"]
    for item in snapshot["overdue"]:
        for o in item["occurrences"]:
            levels = {step["level"] for step in o["escalations"]}
            assert levels == {lv for a, occ, lv in db["escalated"]
                              if (a, occ) == (item["key"], o["occurrence"])}
    assert snapshot["trend"][-1]["counts"] == summary["by_status"]


def test_the_seeded_history_is_rich_enough_to_mean_something(
        seeded: tuple[App, Seeded, Path], reports: dict[str, int]) -> None:
    app, _, _ = seeded
    snapshots = [snapshot_of(app, reports[slug]) for slug in SLUGS]
    assert sum(s["summary"]["overdue"] for s in snapshots) >= 5
    assert sum(s["summary"]["finished_this_year"] for s in snapshots) >= 10
    assert sum(s["summary"]["date_changes"] for s in snapshots) >= 3
    assert any(step["sent"] for s in snapshots for item in s["overdue"]
               for o in item["occurrences"] for step in o["escalations"])
    assert any(len(row["years"]) >= 3 for s in snapshots for row in s["recurring"])


@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_holds_the_headings_and_every_activity(
        seeded: tuple[App, Seeded, Path], reports: dict[str, int], slug: str,
        tmp_path: Path) -> None:
    app, _, _ = seeded
    with app.sessions() as session:
        report = get_report(session, reports[slug])
        pdf, snapshot = report.pdf or b"", report.snapshot
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    for heading in HEADINGS:
        assert heading in text, heading
    for entry in snapshot["activities"]:  # by the label people read: "Kommunen 1.1"
        assert readable_label(snapshot, entry, "sv") in text, entry["key"]
    assert snapshot["plan"]["organisation"].upper() in text and "Sida 2 av" in text


def stored_pdf_and_html(app: App, report_id: int, tmp_path: Path) -> tuple[Path, str, Any]:
    with app.sessions() as session:
        report = get_report(session, report_id)
        html = rebuild(report, "html").decode()
        path = tmp_path / "report.pdf"
        path.write_bytes(report.pdf or b"")
        return path, html, report.snapshot


@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_says_what_the_html_says(seeded: tuple[App, Seeded, Path],
                                     reports: dict[str, int], slug: str,
                                     tmp_path: Path) -> None:
    """Every text of the HTML is in the PDF's tag tree, in the same reading
    order, and the PDF has no words the HTML lacks."""
    app, _, _ = seeded
    path, html, snapshot = stored_pdf_and_html(app, reports[slug], tmp_path)
    page = html_content(html)
    tree = tag_tree(path)
    reading = normalized(tree.text(skip=("Figure",)))
    position = 0
    for node in page.nodes:
        found = reading.find(normalized(node), position)
        assert found >= 0, f"{node!r} missing after {reading[max(0, position - 80):position]!r}"
        position = found + len(normalized(node))
    html_words = set(normalized(" ".join(page.nodes)).split())
    extra = set(reading.split()) - html_words
    assert {word for word in extra if not word.isdigit()} <= {"•"}, extra  # bullets, page numbers
    for entry in snapshot["activities"]:
        for text in (readable_label(snapshot, entry, "sv"), entry["text"], entry["timeline"],
                     status_label(entry["status"], "sv").capitalize()):
            assert normalized(text) in reading, text
    footnotes = [presentation.inferred_footnote(e, "sv") for e in snapshot["activities"]]
    assert any(footnotes)  # every seed plan has values its source does not give
    for footnote in filter(None, footnotes):
        assert normalized(footnote) in reading, footnote


@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_is_tagged_pdf_ua_with_the_htmls_structure(
        seeded: tuple[App, Seeded, Path], reports: dict[str, int], slug: str,
        tmp_path: Path) -> None:
    app, _, _ = seeded
    path, html, snapshot = stored_pdf_and_html(app, reports[slug], tmp_path)
    info = pdfinfo(path)
    assert info["Tagged"] == "yes" and info["PDF version"] == "1.7"
    plan = snapshot["plan"]
    assert info["Title"] == f"Årlig uppföljning {snapshot['year']} – {plan['short_name']}"
    assert info["Author"] == snapshot["plan"]["organisation"]
    created = datetime.fromisoformat(info["CreationDate"].replace("Z", "+00:00"))
    assert created == datetime.fromisoformat(snapshot["compiled_at"])  # not the clock
    meta = pdf_metadata(path)
    assert meta["ua_part"] == "1" and meta["lang"] == "sv" and meta["language"] == {"sv"}
    assert meta["pdfa"] == ("2", "A")  # archival PDF/A-2a as well
    assert meta["marked"] and meta["display_title"] and meta["title"] == info["Title"]

    page = html_content(html)
    elements = struct_attributes(path)
    headings = [(e["S"], " ".join(e.get("T", "").split())) for e in elements
                if e["S"] in ("H1", "H2", "H3", "H4", "H5", "H6")]
    assert headings == page.headings
    assert meta["bookmarks"] == len(headings) - 2  # all but the title and "Innehåll"

    tree = tag_tree(path)
    tables = [e for e in tree.walk() if e.kind == "Table"]
    assert len(tables) == page.tables
    for table in tables[1:]:  # the cover's facts have row headers only
        header = [e for e in table.walk() if e.kind == "TH"]
        assert header and all("/Scope /Column" in e.attributes for e in header)
    figures = [e for e in elements if e["S"] == "Figure"]
    title, rows = presentation.group_rows(snapshot, "sv")
    assert len(figures) == 2 and title in figures[0]["Alt"]
    for label, counts in rows:
        assert f"{label} – " in figures[0]["Alt"] and f"totalt {sum(counts.values())}." in (
            figures[0]["Alt"])
    for year in snapshot["trend"]:
        assert f"{year['year']} – " in figures[1]["Alt"]


def test_hostile_comment_is_text_in_html_pdf_and_markdown(
        seeded: tuple[App, Seeded, Path], reports: dict[str, int], tmp_path: Path) -> None:
    app, seeding, _ = seeded
    with app.sessions() as session:
        report = get_report(session, reports["tierp"])
        html = rebuild(report, "html").decode()
        markdown = rebuild(report, "md").decode()
        pdf = report.pdf or b""
    assert seeding.hostile_activity == "kommun-1.2"
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "<script>alert(1)</script>" in pdf_text(pdf, tmp_path)  # printed, as text
    assert HOSTILE.startswith("<script>")


@pytest.mark.parametrize("slug", SLUGS)
def test_xlsx_has_one_row_per_activity(seeded: tuple[App, Seeded, Path],
                                       reports: dict[str, int], slug: str) -> None:
    app, _, _ = seeded
    with app.sessions() as session:
        report = get_report(session, reports[slug])
        data, snapshot = rebuild(report, "xlsx"), report.snapshot
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [readable_label(snapshot, e, "sv")
                                    for e in snapshot["activities"]]
    assert [r[1] for r in body] == [e["key"] for e in snapshot["activities"]]
    column = header.index("Status")
    labels = {None: "ingen rapport", "done": "klar", "in_progress": "pågår",
              "not_started": "ej påbörjad", "delayed": "försenad", "paused": "pausad",
              "cancelled": "inställd"}
    assert [r[column] for r in body] == [labels[e["status"]] for e in snapshot["activities"]]
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_rebuild_gives_the_same_report(seeded: tuple[App, Seeded, Path],
                                       reports: dict[str, int]) -> None:
    app, _, _ = seeded
    first = {}
    with app.sessions() as session:
        report = get_report(session, reports["tierp"])  # the PDF: see the CLI test
        for name in ("html", "md", "xlsx"):
            first[name] = rebuild(report, name)
    with app.sessions() as session:  # a fresh read of the stored snapshot
        report = get_report(session, reports["tierp"])
        for name in ("html", "md", "xlsx"):
            assert rebuild(report, name) == first[name], name


def test_changes_are_measured_against_last_years_stored_report(
        seeded: tuple[App, Seeded, Path], reports: dict[str, int]) -> None:
    app, _, _ = seeded
    previous = snapshot_of(app, reports["tierp-2023"])
    current = snapshot_of(app, reports["tierp"])
    assert current["comparison"]["kind"] == "report"
    assert current["comparison"]["report_id"] == reports["tierp-2023"]
    before = {e["key"]: e for e in previous["activities"]}
    for entry in current["activities"]:
        assert entry["previous"] == {"status": before[entry["key"]]["status"],
                                     "progress": before[entry["key"]]["progress"]}
    assert current["summary"]["changed"] == sum(1 for e in current["activities"]
                                                if e["changes"])
    other = snapshot_of(app, reports["lulea"])
    assert other["comparison"]["kind"] == "as_of"


def test_cli_compiles_rebuilds_and_lists(seeded: tuple[App, Seeded, Path],
                                         reports: dict[str, int], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    app, _, home = seeded
    monkeypatch.setenv("LOKFLOW_HOME", str(home))
    monkeypatch.setenv("LOKFLOW_PLANS_DIR", str(PLANS))
    runner = CliRunner()
    target = tmp_path / "tierp.pdf"
    result = runner.invoke(cli, ["annual-report", "tierp", "--year", "2024", "--format", "pdf",
                                 "--as-of", "2024-11-15T20:00", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-") and "stored" in result.output
    number = int(result.output.split()[2])
    assert snapshot_of(app, number)["activities"] == snapshot_of(app, reports["tierp"])[
        "activities"]

    again = tmp_path / "again.pdf"
    result = runner.invoke(cli, ["annual-report", "--rebuild", str(number), "-o", str(again)])
    assert result.exit_code == 0 and "identical to the stored PDF" in result.output
    assert again.read_bytes() == target.read_bytes()

    result = runner.invoke(cli, ["annual-report", "--rebuild", str(reports["lulea"]),
                                 "--format", "md", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("# Årlig uppföljning 2022")
    listing = runner.invoke(cli, ["annual-report", "--list"])
    assert listing.exit_code == 0 and "tierp" in listing.output and "botkyrka" in listing.output
    missing = runner.invoke(cli, ["annual-report", "--rebuild", "9999"])
    assert missing.exit_code == 1
    wrong = runner.invoke(cli, ["annual-report", "tierp", "--format", "docx"])
    assert wrong.exit_code == 1
