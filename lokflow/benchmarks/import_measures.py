"""`lokflow bench --only import`: a coordinator's 1,000-row workbook read,
mapped, checked and saved as a new version of a plan (target under 2 s),
beside the floor of only reading its cells with python-calamine; openpyxl's
read of the same file is printed too (why calamine reads imports); and the
slowest refusal of a hostile workbook."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

from lokflow.benchmarks.figures import Figure, best_of
from lokflow.benchmarks.hostile_workbooks import HOSTILE, activity_workbook
from lokflow.bootstrap import App
from lokflow.plan_import.mapping import Mapping
from lokflow.plan_import.service import prepare
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_loading import sync_plans
from lokflow.plans.plan_reading import current_document
from lokflow.plans.revision_apply import apply_document
from lokflow.plans.revisions import Authored
from lokflow.settings import bundled_plans_dir

ROWS = 1_000


def _calamine(raw: bytes) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)


def _openpyxl(raw: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    count = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
    book.close()
    return count


def _one_import(app: App) -> tuple[float, float, int, bytes]:
    """(seconds to preview, seconds to save, changes, the workbook) in a fresh database."""
    plans, errors = read_plans([bundled_plans_dir() / "tierp.yaml"])
    assert not errors, errors
    with app.sessions.begin() as session:
        sync_plans(session, plans, app.clock)
    with app.read() as session:
        _, document, head = current_document(session, "tierp")
    raw = activity_workbook(ROWS, [u.name for u in document.units])
    start = time.perf_counter()
    found = prepare(raw, "aktivitetsplan.xlsx", document, Mapping())
    previewed = time.perf_counter()
    if not found.ok or found.document is None:
        raise RuntimeError(f"the benchmark workbook did not import: {found.problems[:3]}")
    with app.sessions.begin() as session:
        applied = apply_document(session, found.document, Authored("bench", "import", "bench"),
                                 app.now(), based_on=head)
    saved = time.perf_counter()
    app.close()
    return previewed - start, saved - previewed, len(applied.changes), raw


def measure_import(apps: Callable[[int], App]) -> Figure:
    """Read + map + check + preview + save 1,000 rows into the Tierp plan; the best of
    three fresh databases (a shared machine is noisy)."""
    runs = [_one_import(apps(n)) for n in range(3)]
    preview, save, changes, raw = min(runs, key=lambda run: run[0] + run[1])
    seconds = preview + save
    floor = best_of(3, lambda: _calamine(raw))
    return Figure(f"import: {ROWS:,}-row workbook", seconds, "s", "calamine: read the cells",
                  floor, target="< 2 s (read, map, check, preview, save a new version)",
                  ok=seconds < 2.0, extra={
                      "preview_s": round(preview, 3), "save_s": round(save, 3),
                      "openpyxl_read_s": round(best_of(3, lambda: _openpyxl(raw)), 4),
                      "workbook_bytes": len(raw), "changes": changes})


def measure_hostile(scratch: Path) -> Figure:
    """The slowest refusal among the hostile workbooks (each read as an upload is)."""
    slowest, name = 0.0, ""
    for kind, (suffix, make) in HOSTILE.items():
        raw = make()
        start = time.perf_counter()
        found = prepare(raw, f"upload{suffix}", None, Mapping())
        took = time.perf_counter() - start
        if found.refused is None:
            raise RuntimeError(f"{kind} was not refused")
        if took > slowest:
            slowest, name = took, kind
    legit = activity_workbook(ROWS, ["Tierps kommun"])
    floor = best_of(3, lambda: _calamine(legit))
    return Figure("import: slowest hostile workbook refused", slowest, "s",
                  f"calamine: read a {ROWS:,}-row workbook", floor,
                  target="refused quickly, peak RSS < 300 MiB (tests/attack)",
                  ok=slowest < 2.0, extra={"slowest": name})
