"""The PDF as Typst makes it, on a small hand-made snapshot: whatever people
typed prints as text (never as Typst code), every character compiles under
PDF/UA-1, the report's language and fonts are right, and a rebuild in
another process gives the same bytes. Checked with poppler and pikepdf."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typst
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lokflow.annual_report.pdf import TEMPLATE, compile_document, document_data, render_pdf
from lokflow.annual_report.snapshot import assemble
from lokflow.annual_report.typst_fonts import (
    REPLACEMENT,
    cmap_characters,
    installed_fonts,
)
from lokflow.domain.timelines import Deadline, Ongoing, Yearly
from tests.support.pdf_structure import (
    normalized,
    pdf_metadata,
    pdfinfo,
    struct_attributes,
    tag_tree,
)
from tests.support.report_builders import activity, at, document, history, moment, report

# Typst markup and code an owner might type, on purpose or not.
TYPST_ATTACKS = (
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.4": *',
    ']#{panic("owned")}[',
    "#eval(\"1 + 1\") #sys.inputs.report",
    "$x^2$ *fet* _kursiv_ @etikett <etikett> `kod`",
    "// kommentar /* block */ \\ \\\\ \\u{41}",
    "= Rubrik",
    "#set text(size: 40pt) #show: none",
    "- lista + numrerad / term: x ~ <script>alert(1)</script> & \"citat\"",
)


def hostile_snapshot(comment: str, *, reporter: str = "Kim Kultur",
                     principle: str = "Dialog") -> dict[str, Any]:
    activities = [
        activity("k-1", Deadline(due=date(2024, 12, 31)), text=f"Bygg {TYPST_ATTACKS[2]}",
                 reports=(report("deadline", "in_progress", "2024-03-01", progress=40,
                                 comment=comment, obstacles=TYPST_ATTACKS[5],
                                 reporter=reporter),)),
        activity("k-2", Yearly(month=11, day=15, start=date(2022, 1, 1)), timeline="Årligen",
                 reports=(report("2024", "done", "2024-11-01"),)),
        activity("c-1", Ongoing(start=date(2022, 1, 1)), party="civil_society",
                 commitment="c1", owners=("foreningarna",), timeline="Löpande"),
    ]
    plan = history(activities, principles=(("dialog", principle, None),),
                   doc=document(short_name=TYPST_ATTACKS[6], title=TYPST_ATTACKS[0]))
    return assemble(plan, moment(), at("2024-11-15T19:00"), None)


def write(tmp_path: Path, pdf: bytes, name: str = "report.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def test_typst_markup_typed_by_people_prints_as_text(tmp_path: Path) -> None:
    snapshot = hostile_snapshot(" ".join((*TYPST_ATTACKS[:5], TYPST_ATTACKS[8])),
                                reporter=TYPST_ATTACKS[4],
                                principle=TYPST_ATTACKS[7])
    path = write(tmp_path, render_pdf(snapshot, "sv", 3))
    reading = normalized(tag_tree(path).text())
    for attack in TYPST_ATTACKS:
        assert normalized(attack) in reading, attack
    assert "root:" not in reading  # no file was read; a panic would have stopped the compile
    plain = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "root:x:0:0" not in plain and '#read("/etc/passwd")' in plain
    headings = [e.get("T") for e in struct_attributes(path) if e["S"].startswith("H")]
    assert "Rubrik" not in headings and "= Rubrik" not in headings  # no heading was made
    assert pdfinfo(path)["Title"] == f"Årlig uppföljning 2024 – {TYPST_ATTACKS[6]}"


def test_the_template_never_evaluates_the_data() -> None:
    """The report reaches the template as one JSON input, shown as content: no
    `eval`, no file read, no markup assembled from strings in Python."""
    template = TEMPLATE.read_text()
    code = "\n".join(line.split("//")[0] for line in template.splitlines())
    assert code.count("json(") == 1 and "json(bytes(sys.inputs.report))" in code
    assert "eval(" not in code and "read(" not in code and "import" not in code
    data = json.loads(document_data(hostile_snapshot(TYPST_ATTACKS[0]), "sv", 3))
    texts = json.dumps(data)
    assert TYPST_ATTACKS[0].replace('"', '\\"') in texts  # the raw text, not escaped markup


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40))
@example("Möte med 中文-föreningen 🙂👍🏽 \u200d\ufe0f")
@example("\x07\x1b\ufeff\ufffe\ue000\U000f0000 kontroll")
@example("Arabiska: مرحبا، עברית, Ελληνικά, Кириллица, ẞ Ŋ ǅ")
@example("\u202eevil\u202c a\u0301\u0308 \u2028\u2029 tab\there\nny rad")
@example("Kopierat\u00a0från\u00a0Word: 10\u202f% – ”citat” … µ Ω Å Å")
def test_any_comment_compiles_under_pdf_ua(tmp_path_factory: pytest.TempPathFactory,
                                           comment: str) -> None:
    pdf = render_pdf(hostile_snapshot(comment), "sv", 3)
    path = write(tmp_path_factory.mktemp("any"), pdf)
    reading = tag_tree(path).text()
    printable = installed_fonts().printable(comment)
    assert "Kommunen 1" in reading and pdfinfo(path)["Tagged"] == "yes"
    if _left_to_right_without_marks(printable):  # else the order or form of glyphs varies
        assert normalized(printable) in normalized(reading)


def _left_to_right_without_marks(text: str) -> bool:
    return all(unicodedata.bidirectional(c) in {"L", "EN", "ES", "ET", "CS", "ON", "WS"}
               and not unicodedata.category(c).startswith(("M", "C")) for c in text)


def test_characters_the_fonts_lack_would_fail_pdf_ua_and_are_replaced() -> None:
    """The font coverage read from the files is exactly what Typst can show:
    every covered character compiles; one outside it fails when passed raw,
    so the replacement is what keeps such a comment from stopping the report."""
    fonts = installed_fonts()
    snapshot = hostile_snapshot("x")
    document = json.loads(document_data(snapshot, "sv", 3))
    every = "".join(chr(c) for c in sorted(fonts.covered) if chr(c).isprintable())
    document["cover"]["foot"] = every
    compile_document(json.dumps(document), snapshot["compiled_at"])  # no error
    chinese = "中"
    assert ord(chinese) not in fonts.covered
    document["cover"]["foot"] = chinese
    with pytest.raises(typst.TypstError, match="PDF/UA-1"):
        compile_document(json.dumps(document), snapshot["compiled_at"])
    printed = fonts.printable(f"Möte {chinese}\x07 i\n\nmars\u3000nu")
    assert printed == f"Möte {REPLACEMENT} i mars nu"


def test_font_coverage_reader_knows_the_scripts() -> None:
    fonts = installed_fonts()
    assert fonts.families[0] == "Liberation Sans"  # installed here (fonts-liberation)
    liberation = next(Path(f) / "LiberationSans-Regular.ttf" for f in fonts.folders
                      if (Path(f) / "LiberationSans-Regular.ttf").exists())
    covered = cmap_characters(liberation.read_bytes())
    assert {ord(c) for c in "AÅÄÖåäöéü€–→"} <= covered
    assert ord("م") not in covered and ord("م") in fonts.covered  # DejaVu Sans has Arabic
    assert ord("中") not in fonts.covered


def test_embedded_fonts_are_the_reports_own(tmp_path: Path) -> None:
    path = write(tmp_path, render_pdf(hostile_snapshot("Arabiska: مرحبا"), "sv", 3))
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+", 1)[1] for line in lines}
    assert names <= {"LiberationSans", "LiberationSans-Bold", "DejaVuSans", "DejaVuSans-Bold"}
    assert {"LiberationSans", "DejaVuSans"} <= names
    assert all(" yes yes yes " in line for line in lines)  # embedded, subset, unicode map


def test_english_report_is_tagged_english(tmp_path: Path) -> None:
    path = write(tmp_path, render_pdf(hostile_snapshot("ok"), "en", 3))
    meta = pdf_metadata(path)
    assert meta["lang"] == "en" and meta["language"] == {"en"} and meta["ua_part"] == "1"
    reading = tag_tree(path).text()
    assert "Annual follow-up 2024" in reading and "Looking ahead" in reading
    figures = [e for e in struct_attributes(path) if e["S"] == "Figure"]
    assert [e["Alt"].split(":")[0] for e in figures] == ["Horizontal bar chart", "Column chart"]


def test_same_snapshot_same_bytes_in_another_process(tmp_path: Path) -> None:
    snapshot = hostile_snapshot(TYPST_ATTACKS[1])
    here = render_pdf(snapshot, "sv", 3)
    assert render_pdf(snapshot, "sv", 3) == here
    source = tmp_path / "snapshot.json"
    source.write_text(json.dumps(snapshot))
    script = ("import json, sys; from lokflow.annual_report.pdf import render_pdf; "
              "sys.stdout.buffer.write(render_pdf(json.load(open(sys.argv[1])), 'sv', 3))")
    there = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True,
                           check=True).stdout
    assert there == here
    assert render_pdf(snapshot, "sv", 4) != here  # the report's number is printed


MEMORY_PROBE = """
import resource, sys
from datetime import date
from lokflow.annual_report.pdf import render_pdf
from lokflow.annual_report.snapshot import assemble
from lokflow.domain.timelines import Deadline
from tests.support.report_builders import activity, at, history, moment, report
done = [activity(f"k-{n}", Deadline(due=date(2024, 12, 31)),
                 text=f"Aktivitet {n}: en lagom lång beskrivning av vad som ska göras i år.",
                 reports=(report("deadline", "in_progress", "2024-03-01", progress=n,
                                 comment=f"Kommentar {n}: arbetet pågår enligt plan."),))
        for n in range(70)]
snapshot = assemble(history(done), moment(), at("2024-11-15T19:00"), None)
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
render_pdf(snapshot, "sv", 0)
first = peak()
for number in range(1, 12):
    render_pdf(snapshot, "sv", number)  # a new document each time (its number)
print(first, peak())
"""


def test_a_process_making_many_reports_keeps_its_memory() -> None:
    """A worker or web process may compile report after report: Typst's
    layout cache must not keep growing with them (peak RSS of a child)."""
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    first, last = (int(x) for x in out.split())
    assert last - first < 40, (first, last)  # MiB over eleven more reports
