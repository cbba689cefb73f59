"""Hostile workbooks and documents: refused with a clear reason before any
parser unpacks them, in a child process whose peak RSS stays under 300 MiB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lokflow.benchmarks.hostile_workbooks import HOSTILE
from lokflow.texts.import_refusals import REFUSALS
from tests.attack.measured import run_measured

MEMORY_MIB = 300
EXPECTED = {"ten_megabytes": "too_big", "huge_dimensions": "too_large_sheet",
            "many_sheets": "too_many_sheets", "zip_bomb": "bomb", "entity_bomb": "bomb",
            "ods_repeated_rows": "too_large_sheet", "docx_entity_bomb": "bomb",
            "not_a_zip": "not_zip"}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_in_little_memory(name: str, tmp_path: Path) -> None:
    suffix, make = HOSTILE[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(make())
    run = run_measured(["-m", "tests.attack.read_workbook_child", str(path)])
    assert not run.hung and run.returncode == 0, run.output[-3000:]
    outcome = json.loads(run.output.strip().splitlines()[-1])
    assert outcome["refused"] == EXPECTED[name], outcome
    assert run.peak_mib < MEMORY_MIB, f"{name}: peak RSS {run.peak_mib:.0f} MiB"
    assert REFUSALS["sv"][outcome["refused"]] and REFUSALS["en"][outcome["refused"]]


def test_the_guard_itself_is_what_refuses(tmp_path: Path) -> None:
    """Without the guard, python-calamine grows past the bound on the same file: the
    test above would fail if the guard were taken out."""
    from python_calamine import CalamineWorkbook

    path = tmp_path / "rows.ods"
    path.write_bytes(HOSTILE["ods_repeated_rows"][1]())
    code = ("import sys; from python_calamine import CalamineWorkbook as W; "
            "print(len(W.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()))")
    run = run_measured(["-m", "tests.attack.run_code", code, str(path)])
    assert CalamineWorkbook is not None
    assert run.returncode == 0 and run.output.split()[-1] == "1000001", run.output[-2000:]
    assert run.peak_mib > MEMORY_MIB, run.peak_mib
