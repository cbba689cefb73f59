"""Plans out and in through the CLI, on SQLite and PostgreSQL: the five seeds
round-trip through YAML (same bytes) and XLSX (same cells); tables shaped like
each seed's, in a workbook, a Word document and an ODS file, import into a
valid plan; `sync` refuses to undo changes made since a file was loaded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from lokflow.cli.app import app as cli
from lokflow.plan_import.mapping import Mapping
from lokflow.plan_import.service import prepare
from lokflow.plans.plan_files import read_plans
from lokflow.plans.plan_json import plan_data
from lokflow.settings import Settings
from tests.conftest import FIXTURES, PLANS
from tests.support.seed_tables import as_csv, as_docx, as_ods, as_xlsx, seed_tables

runner = CliRunner()
SEEDS = read_plans([PLANS])[0]
SLUGS = sorted(p.document.slug for p in SEEDS)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    if request.param == "postgres":
        settings: Settings = request.getfixturevalue("pg_settings")
        monkeypatch.setenv("LOKFLOW_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    return str(request.param)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def cells(raw: bytes) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_seeds_round_trip_through_yaml_and_xlsx(database: str, tmp_path: Path) -> None:
    assert run("sync")[0] == 0
    for seed in SEEDS:
        slug = seed.document.slug
        yaml_file, xlsx_file = tmp_path / f"{slug}.yaml", tmp_path / f"{slug}.xlsx"
        assert run("export", slug, "--format", "yaml", "-o", str(yaml_file))[0] == 0
        assert run("export", slug, "--format", "xlsx", "-o", str(xlsx_file))[0] == 0
        again = read_plans([yaml_file])[0][0].document
        assert plan_data(again) == plan_data(seed.document), slug
        first_yaml, first_xlsx = yaml_file.read_bytes(), xlsx_file.read_bytes()
        for path in (yaml_file, xlsx_file):
            code, out = run("import", str(path))
            assert code == 0 and f"{slug}: no changes" in out, out
        run("export", slug, "--format", "yaml", "-o", str(yaml_file))
        run("export", slug, "--format", "xlsx", "-o", str(xlsx_file))
        assert yaml_file.read_bytes() == first_yaml, slug
        assert cells(xlsx_file.read_bytes()) == cells(first_xlsx), slug


def test_an_exported_workbook_fills_an_empty_database(database: str, tmp_path: Path) -> None:
    """Every field survives the workbook: the plan it makes equals the seed."""
    source = tmp_path / "source"
    source.mkdir()
    for seed in SEEDS:
        from lokflow.plans.workbooks import export_workbook

        path = source / f"{seed.document.slug}.xlsx"
        path.write_bytes(export_workbook(seed.document))
        code, out = run("import", str(path), "--reason", "moved to lokflow")
        assert code == 0 and "revision 1" in out, out
        exported = tmp_path / "out.yaml"
        run("export", seed.document.slug, "-o", str(exported))
        assert plan_data(read_plans([exported])[0][0].document) == plan_data(seed.document)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("kind", ["xlsx", "docx", "ods"])
def test_tables_shaped_like_each_seed_import_into_a_valid_plan(slug: str, kind: str) -> None:
    seed = next(p.document for p in SEEDS if p.document.slug == slug)
    raw = {"xlsx": as_xlsx, "docx": as_docx, "ods": as_ods}[kind](seed_tables(seed))
    found = prepare(raw, f"plan.{kind}", seed, Mapping())
    assert found.problems == [] and found.document is not None
    keep = {a.id: (a.owners, a.timeline, a.text, a.kind) for _, a in seed.activities()}
    assert {a.id: (a.owners, a.timeline, a.text, a.kind)
            for _, a in found.document.activities()} == keep
    assert not [c for c in found.changes if c.kind != "changed"]


def test_import_of_a_workbook_with_dry_run_then_for_real(database: str,
                                                         tmp_path: Path) -> None:
    assert run("sync")[0] == 0
    tierp = next(p.document for p in SEEDS if p.document.slug == "tierp")
    tables = seed_tables(tierp)
    tables[0][1][2][3] = "2030"  # kommun-1.1: a new timeline
    del tables[0][1][3]          # kommun-1.2 is no longer in the file
    path = tmp_path / "tierp-tabeller.xlsx"
    path.write_bytes(as_xlsx(tables))
    code, out = run("import", str(path), "--plan", "tierp", "--dry-run")
    assert code == 0 and "dry run: nothing was written" in out
    assert "activity kommun-1.1: timeline: now: '2022-2023' -> file: '2030'" in out
    assert "activity kommun-1.2: only in now" in out and "archived 1" in out
    code, out = run("activities", "--plan", "tierp", "--json")
    assert '"kommun-1.2"' in out
    code, out = run("import", str(path), "--plan", "tierp", "--reason", "Revidering 2025")
    assert code == 0 and "tierp: revision 2" in out
    code, out = run("show", "tierp", "kommun-1.1")
    assert "2030" in out
    code, out = run("show", "tierp", "kommun-1.2")
    assert "archived" in out


def test_all_problems_at_once_in_swedish_with_their_place(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    assert run("sync")[0] == 0
    rows = [["Nr", "Åtgärd", "Ansvar", "Tidplan"], ["1.", "Kommunen åtar sig att samarbeta."],
            ["1.1", "Bjuda in till dialog", "Tierps kommun", "Någon gång"],
            ["1.2", "Samla föreningarna", "Föreningsrådett", "2025"],
            ["1.3", "Ordna en mässa", "Kulturnämnden", "2026"]]
    path = tmp_path / "tabell.csv"
    path.write_bytes(as_csv(rows))
    code, out = run("import", str(path), "--plan", "tierp")
    assert code == 1 and "nothing was imported" in out
    assert "tabell.csv, rad 5, kolumn C: Ansvarig ”Kulturnämnden” finns inte" in out
    assert "tabell.csv, rad 3, kolumn D: Tidsplanen ”Någon gång” går inte att tolka" in out
    assert "Föreningsrådett" not in out  # a misspelling is matched by similarity
    mapping = tmp_path / "mappning.yaml"
    mapping.write_text("owners:\n  Kulturnämnden: new\n", encoding="utf-8")
    code, out = run("import", str(path), "--plan", "tierp", "--mapping", str(mapping),
                    "--dry-run")
    assert code == 1 and "1 problem(s)" in out
    assert "tabell.csv, rad 3, kolumn D: Tidsplanen ”Någon gång” går inte att tolka" in out


def test_sync_refuses_to_undo_a_web_edit(database: str, tmp_path: Path) -> None:
    assert run("sync")[0] == 0
    edited = tmp_path / "tierp.yaml"
    run("export", "tierp", "-o", str(edited))
    text = edited.read_text(encoding="utf-8").replace(
        "lok-samordnare@tierp.example.org", "ny-samordnare@tierp.example.org")
    edited.write_text(text, encoding="utf-8")
    assert run("import", str(edited), "--reason", "Ny samordnare")[0] == 0
    code, out = run("sync")
    assert code == 1 and "refused: plan tierp was changed since its file was last loaded" in out
    assert "unit kommun: contacts[0].email: file: 'lok-samordnare@tierp.example.org' -> " \
           "database: 'ny-samordnare@tierp.example.org'" in out
    assert "lokflow export PLAN" in out and "--force" in out
    code, out = run("activities", "--plan", "tierp", "--json")
    code, out = run("sync", "--skip-edited")
    assert code == 0 and "tierp: edited in the web since its file" in out
    code, out = run("sync", str(edited))  # the exported file knows its base: it may load
    assert code == 0 and "tierp: no changes" in out
    code, out = run("sync", "--force")
    assert code == 0 and "tierp: updated" in out


def test_bullet_lists_under_commitment_headings_in_word() -> None:
    """A Word plan written as headings with bullet lists: each heading a
    commitment, each bullet an activity; owner and timeline from the mapping."""
    import io

    import docx

    word = docx.Document()
    word.add_heading("Kommunens åtaganden", level=1)
    word.add_heading("Kommunen åtar sig att stödja föreningslivet.", level=2)
    word.add_paragraph("Ta fram en bidragsguide.", style="List Bullet")
    word.add_paragraph("Ordna en föreningsmässa.", style="List Bullet")
    word.add_heading("Kommunen åtar sig att informera.", level=2)
    word.add_paragraph("Skicka ett nyhetsbrev varje kvartal.", style="List Bullet")
    out = io.BytesIO()
    word.save(out)
    base = read_plans([FIXTURES / "minimal.yaml"])[0][0].document
    mapping = Mapping(party="municipality", defaults={"owners": "kultur",
                                                      "timeline": "Löpande"})
    found = prepare(out.getvalue(), "plan.docx", base, mapping)
    assert [p.text("sv") for p in found.problems] == [] and found.document is not None
    commitments = {c.text: [a.text for a in c.activities] for c in found.document.commitments}
    assert commitments == {
        "Kommunen åtar sig att stödja föreningslivet.": ["Ta fram en bidragsguide.",
                                                         "Ordna en föreningsmässa."],
        "Kommunen åtar sig att informera.": ["Skicka ett nyhetsbrev varje kvartal."]}
    kept = next(a for _, a in found.document.activities() if a.text == "Ta fram en bidragsguide.")
    assert kept.id == "k-1.1"  # the plan's own activity, found by its text
