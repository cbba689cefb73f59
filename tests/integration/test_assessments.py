"""Both parties' own assessments through the personal link (issue 17):
the link's scope, expiry and revocation, CSRF, rules, double posts, and
text typed on the page shown as text in the annual report's HTML, PDF,
Markdown and XLSX, both parties side by side and never merged. Real
SQLite through the migrations, the real web app (TestClient), a fixed clock."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from lokflow.access import tokens
from lokflow.annual_report.archive import compile_and_store, rebuild
from lokflow.bootstrap import App, bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from lokflow.web.app import create_app
from tests.conftest import PLANS, FixedClock
from tests.support.follow_up import (
    KIM,
    KS,
    RUT,
    assessment_path,
    fill,
    load_plan,
    plan_text,
    the_plan,
    write_plan,
)
from tests.support.pdf_structure import normalized, tag_tree
from tests.support.reporting import hidden, report_link

EVIL = "<script>alert(1)</script> #read(\"/etc/passwd\") **fet** =1+2"
START = datetime(2024, 10, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    app = bootstrap(Settings(home=tmp_path / "home", database_url="", plans_dir=PLANS,
                             _env_file=None), clock=FixedClock(START))
    load_plan(app)
    with TestClient(create_app(app), follow_redirects=False) as client:
        yield app, client
    app.close()


def rows(app: App) -> list[t.Assessment]:
    with app.sessions() as session:
        return list(session.scalars(select(t.Assessment).order_by(t.Assessment.id)))


def test_each_party_writes_its_own_through_its_link(site: tuple[App, TestClient]) -> None:
    app, client = site
    mine = assessment_path(app, KS, "municipality")
    status, page = fill(client, mine, {"helhet-scale": "3", "helhet-text": "Ett bra år.",
                                       "p-dialog-scale": "4", "p-dialog-text": "Tät dialog."})
    assert status == 200 and "Bedömningen är sparad" in page
    assert 'value="3" checked' in page and "Tät dialog." in page  # the form shows it back
    theirs = assessment_path(app, RUT, "civil_society")
    page = client.get(theirs).text
    assert "Civilsamhällets egen bedömning 2024" in page
    assert "Ett bra år." not in page and "Tät dialog." not in page  # never the other's
    fill(client, theirs, {"helhet-scale": "2", "helhet-text": "Mer dialog behövs."})
    found = {(r.party, r.principle_key): (r.scale, r.text, r.author_email) for r in rows(app)}
    assert found == {("municipality", ""): (3, "Ett bra år.", KS),
                     ("municipality", "dialog"): (4, "Tät dialog.", KS),
                     ("civil_society", ""): (2, "Mer dialog behövs.", RUT)}


def test_saving_again_records_only_what_changed(site: tuple[App, TestClient]) -> None:
    app, client = site
    path = assessment_path(app, KS, "municipality")
    fill(client, path, {"helhet-scale": "3", "helhet-text": "Bra."})
    status, page = fill(client, path, {"helhet-scale": "3", "helhet-text": "Bra."})
    assert status == 200 and "Inget var ändrat" in page and len(rows(app)) == 1
    fill(client, path, {"helhet-scale": "", "helhet-text": "Bra."})  # the scale taken away
    assert [(r.scale, r.text) for r in rows(app)] == [(3, "Bra."), (None, "Bra.")]


def test_the_same_form_twice_is_saved_once(site: tuple[App, TestClient]) -> None:
    app, client = site
    path = assessment_path(app, KS, "municipality")
    page = client.get(path).text
    form = {"csrf": hidden(page, "csrf"), "key": hidden(page, "key"), "helhet-scale": "2"}
    assert client.post(path, data=form).status_code == 303
    form["helhet-scale"] = "4"  # the back button, changed, and sent again with the old key
    assert client.post(path, data=form).status_code == 303
    assert [r.scale for r in rows(app)] == [2]


def test_broken_rules_show_the_form_again_and_store_nothing(
        site: tuple[App, TestClient]) -> None:
    app, client = site
    path = assessment_path(app, KS, "municipality")
    page = client.get(path).text
    answer = client.post(path, data={"csrf": hidden(page, "csrf"), "key": hidden(page, "key"),
                                     "helhet-scale": "7", "p-dialog-text": "x" * 2001,
                                     "p-oppenhet-text": "kvar"})
    assert answer.status_code == 422 and rows(app) == []
    assert 'href="#helhet-scale"' in answer.text and 'href="#p-dialog-text"' in answer.text
    assert "Välj ett av stegen på skalan" in answer.text and "högst 2000 tecken" in answer.text
    assert ">kvar</textarea>" in answer.text  # what was typed stays


def test_csrf_is_required_and_bound_to_the_link(site: tuple[App, TestClient]) -> None:
    app, client = site
    mine = assessment_path(app, KS, "municipality")
    other = assessment_path(app, RUT, "civil_society")
    foreign = hidden(client.get(other).text, "csrf")
    for csrf in ("", "1.abc", foreign):
        answer = client.post(mine, data={"csrf": csrf, "key": "abcdefghijkl",
                                         "helhet-scale": "1"})
        assert answer.status_code == 403 and "Formuläret hade gått ut" in answer.text
    assert rows(app) == []


def test_the_link_opens_one_partys_assessment_and_nothing_else(
        site: tuple[App, TestClient], tmp_path: Path) -> None:
    app, client = site
    path = assessment_path(app, KS, "municipality")
    token = path.rsplit("/", 1)[1]
    assert client.get(f"/rapport/{token}").status_code == 404  # not a report link
    report_token = report_link(app, KIM, organisation="foljby")
    assert client.get(f"/bedomning/{report_token}").status_code == 404  # nor the reverse
    assert client.get("/bedomning/" + "A" * 43).status_code == 404
    assert client.get("/bedomning/not a token").status_code == 404
    # Not an assessor of that party: a link made for it anyway is refused.
    assert client.get(assessment_path(app, KIM, "municipality")).status_code == 403
    assert client.get(assessment_path(app, KS, "civil_society")).status_code == 403
    # Removed from the plan's assessors: the link stops working.
    load_plan(app, write_plan(tmp_path / "plans", plan_text(
        **{"municipality: [ks@foljby.example.org]": "municipality: [ny@foljby.example.org]"})))
    answer = client.get(path)
    assert answer.status_code == 403 and "Länken kan ha gått ut" in answer.text


def test_expired_and_revoked_links_are_refused(site: tuple[App, TestClient]) -> None:
    app, client = site
    path = assessment_path(app, KS, "municipality")
    assert client.get(path).status_code == 200
    app.clock.at = START.replace(month=12, day=10)  # type: ignore[attr-defined]  # 61 days
    assert client.get(path).status_code == 403
    app.clock.at = START  # type: ignore[attr-defined]
    fresh = assessment_path(app, KS, "municipality")
    with app.sessions.begin() as session:
        row = session.scalar(select(t.AccessToken).where(
            t.AccessToken.token_hash == tokens.hash_token(fresh.rsplit("/", 1)[1])))
        assert row is not None and row.scope == "assessment" and row.plan_id is not None
        assert row.subject == {"email": KS, "party": "municipality", "year": 2024}
        tokens.revoke(session, row.id, app.now())
    assert client.get(fresh).status_code == 403
    assert client.post(fresh, data={"csrf": "x", "helhet-scale": "1"}).status_code == 403


def test_typed_text_is_text_from_the_page_to_every_format(
        site: tuple[App, TestClient], tmp_path: Path) -> None:
    app, client = site
    fill(client, assessment_path(app, KS, "municipality"),
         {"helhet-scale": "3", "helhet-text": EVIL,
          "p-dialog-text": "Kommunen: dialog varje månad."})
    status, page = fill(client, assessment_path(app, RUT, "civil_society"),
                        {"helhet-scale": "2", "helhet-text": "Civilsamhället: för lite stöd.",
                         "p-oppenhet-scale": "1"})
    assert status == 200
    page = client.get(assessment_path(app, KS, "municipality")).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with app.sessions.begin() as session:
        report = compile_and_store(session, "foljby", 2024, app.now(), zone=app.settings.tz)
        html = rebuild(report, "html").decode()
        markdown = rebuild(report, "md").decode()
        workbook = load_workbook(io.BytesIO(rebuild(report, "xlsx")))
        pdf = report.pdf or b""
    # HTML: escaped, and both parties in one row, each in its own cell.
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    overall = html[html.index("Överenskommelsen som helhet"):]
    row = overall[:overall.index("</tr>")]
    assert row.index("3 – fungerar till stor del") < row.index("2 – fungerar delvis")
    assert row.count("<td>") == 2 and "Civilsamhället: för lite stöd." in row
    # PDF: the same text, printed as typed, in the same order (tag tree).
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    reading = normalized(tag_tree(path).text())
    first = reading.index(normalized(EVIL))
    assert first < reading.index(normalized("Civilsamhället: för lite stöd."))
    assert reading.index(normalized("Kommunens bedömning")) < reading.index(
        normalized("Civilsamhällets bedömning"))
    plain = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert '#read("/etc/passwd")' in plain and "root:x:" not in plain
    # Markdown: escaped, one table, a column per party.
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    line = next(x for x in markdown.splitlines() if x.startswith("| Överenskommelsen som"))
    assert line.count("|") == 4 and line.index("fungerar till stor del") < line.index(
        "för lite stöd")
    # XLSX: each party's scale and text in columns of its own, text stays text.
    sheet = workbook["Parternas egna bedömningar"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Bedöms", "Kommunens bedömning (1–4)", "Kommunens bedömning",
                         "Civilsamhällets bedömning (1–4)", "Civilsamhällets bedömning")
    assert values[1] == ("Överenskommelsen som helhet", 3, EVIL, 2,
                         "Civilsamhället: för lite stöd.")
    assert values[2][0] == "Dialog" and values[2][2] == "Kommunen: dialog varje månad."
    assert values[3][0] == "Öppenhet och insyn" and values[3][3] == 1
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]


def test_the_report_tells_when_no_party_has_assessed(site: tuple[App, TestClient]) -> None:
    app, _ = site
    with app.sessions.begin() as session:
        report = compile_and_store(session, "foljby", 2024, app.now(), zone=app.settings.tz)
        html = rebuild(report, "html").decode()
    assert "Parternas egna bedömningar" in html
    assert "Ingen av parterna har lämnat en egen bedömning för 2024." in html
    assert the_plan(app).document["follow_up"]["assessors"]["civil_society"] == [RUT]
