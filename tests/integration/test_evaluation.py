"""An evaluation round for Botkyrka's third year (issue 17, part two):
Botkyrka evaluates every third year from its start (2018), so 2021 is an
evaluation year; both parties' assessment forms then ask the plan's own
questions beside the principles, and `lokflow evaluation` compiles the
report with both parties side by side (HTML, and a tagged PDF)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from lokflow.bootstrap import App, bootstrap
from lokflow.cli.app import app as cli
from lokflow.domain.evaluations import covered_years, evaluation_years
from lokflow.plans.plan_files import read_plans
from lokflow.reporting.assessment_access import issue_assessment_link
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import fill
from tests.support.pdf_structure import HEADINGS, normalized, tag_tree
from tests.support.reporting import load

runner = CliRunner()
KOMMUN = "utvardering@botkyrka.example.org"
PLATTFORM = "plattformen@botkyrka.example.org"
QUESTIONS = ("Har överenskommelsen gjort samverkan lättare?",
             "Vad ska den nya handlingsplanen ändra?")
ADDED = (f"  evaluation:\n    every_years: 3\n    questions:\n"
         f"      - {QUESTIONS[0]}\n      - {QUESTIONS[1]}\n")


def with_questions(folder: Path) -> Path:
    text = (PLANS / "botkyrka.yaml").read_text(encoding="utf-8")
    text = text.replace("  evaluation:\n    every_years: 3\n", ADDED, 1)
    text = text.replace("  evaluation:\n", f"  assessors:\n    municipality: [{KOMMUN}]\n"
                        f"    civil_society: [{PLATTFORM}]\n  evaluation:\n", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "botkyrka.yaml").write_text(text, encoding="utf-8")
    return folder / "botkyrka.yaml"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    app = bootstrap(Settings(_env_file=None), clock=FixedClock(datetime(2021, 10, 1, 9,
                                                                        tzinfo=UTC)))
    load(app, with_questions(tmp_path / "plans"))
    yield app
    app.close()


def link(app: App, email: str, party: str) -> str:
    with app.sessions.begin() as session:
        plan = session.scalars(select(t.Plan).where(t.Plan.slug == "botkyrka")).one()
        found = issue_assessment_link(session, app.settings, plan, email, party, 2021, app.now())
    return "/bedomning/" + found.rsplit("/bedomning/", 1)[1]


def test_the_cadence_of_botkyrka_and_tierp() -> None:
    seeds = {p.document.slug: p.document for p in read_plans([PLANS])[0]}
    assert evaluation_years(seeds["botkyrka"], 2027) == [2021, 2024, 2027]
    assert covered_years(seeds["botkyrka"], 2021) == (2018, 2020)
    assert evaluation_years(seeds["tierp"], 2035) == [2024, 2029, 2034]


def test_an_evaluation_round_for_botkyrkas_third_year(app: App, tmp_path: Path) -> None:
    with TestClient(create_app(app), follow_redirects=False) as client:
        mine = link(app, KOMMUN, "municipality")
        page = client.get(mine).text
        assert QUESTIONS[0] in page and QUESTIONS[1] in page
        status, _ = fill(client, mine, {"helhet-scale": "3", "helhet-text": "Ett gott arbete.",
                                        "p-fraga-1-scale": "4",
                                        "p-fraga-1-text": "Ja, tydligt."})
        assert status == 200
        theirs = link(app, PLATTFORM, "civil_society")
        status, _ = fill(client, theirs, {"p-fraga-1-scale": "2",
                                          "p-fraga-1-text": "Delvis <b>inte</b>.",
                                          "p-fraga-2-text": "Fler mötesplatser."})
        assert status == 200
    html = tmp_path / "utvardering.html"
    made = runner.invoke(cli, ["evaluation", "botkyrka", "--year", "2021", "-o", str(html)])
    assert made.exit_code == 0, made.output
    assert "evaluation of 2018-2020" in made.output
    text = html.read_text(encoding="utf-8")
    assert "Utvärdering 2021: " in text
    row = re.search(r"<tr><th scope=\"row\">Fråga 1: [^<]*</th><td>([^<]*)</td><td>([^<]*)</td>",
                    text)
    assert row is not None and row.groups() == ("4/4 – Ja, tydligt.", "2/4 – Delvis &lt;b&gt;inte"
                                                 "&lt;/b&gt;.")
    assert "Fråga 2: Vad ska den nya handlingsplanen ändra?</th><td>ingen bedömning</td>" in text
    pdf = tmp_path / "utvardering.pdf"
    assert runner.invoke(cli, ["evaluation", "botkyrka", "--year", "2021", "-o",
                               str(pdf)]).exit_code == 0
    tree = tag_tree(pdf)
    assert [e for e in tree.walk() if e.kind == "TH"]
    assert any("Utvärdering 2021" in e.text() for e in tree.walk() if e.kind in HEADINGS)
    assert normalized("Fler mötesplatser.") in normalized(tree.text())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes", info.stdout, re.MULTILINE)
    wrong = runner.invoke(cli, ["evaluation", "botkyrka", "--year", "2020", "-o", str(pdf)])
    assert wrong.exit_code == 1 and "2020 is not an evaluation year of botkyrka" in wrong.output


def test_the_committee_page_links_the_evaluation_report(app: App) -> None:
    from tests.support.follow_up import coordinator_login

    with TestClient(create_app(app), follow_redirects=False) as client:
        coordinator_login(app, client, organisation="botkyrka")
        page = client.get("/samordnare/planer/botkyrka/arsrapport?year=2021").text
        assert "Utvärdering 2021" in page and "utvardering-2021.pdf" in page
        assert "Utvärdering 2020" not in client.get(
            "/samordnare/planer/botkyrka/arsrapport?year=2020").text
        pdf = client.get("/samordnare/planer/botkyrka/utvardering-2021.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        html = client.get("/samordnare/planer/botkyrka/utvardering-2021.html")
        assert html.status_code == 200 and QUESTIONS[0] in html.text
        assert client.get("/samordnare/planer/botkyrka/utvardering-2020.pdf").status_code == 404
        client.cookies.clear()
        assert client.get("/samordnare/planer/botkyrka/utvardering-2021.pdf").status_code in (
            303, 401, 403)
