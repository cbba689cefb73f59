"""Renegotiating Tierp into a 2027– version (issue 17, part two), through the
CLI on real SQLite: open work is carried over, a one-off activity already
done is closed, the coordinator's decisions change or close others; the
change report lists old against new per commitment; the old version stays
readable with its history and its period now ends in 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from lokflow.agreement.meeting_cycle import plan_document
from lokflow.bootstrap import bootstrap
from lokflow.cli.app import app as cli
from lokflow.domain.statuses import Status
from lokflow.plans.revisions import head_revision, list_revisions
from lokflow.reporting.report_input import ReportInput
from lokflow.reporting.status_reports import record_report
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS, FixedClock
from tests.support.reporting import load

runner = CliRunner()
DECISIONS = """\
activities:
  kommun-1.4:
    action: close
    reason: Projektmedlen bevakas nu av näringslivsenheten.
  kommun-2.1:
    action: change
    reason: Goda exempel samlas på intranätet.
    set: {timeline: "2027-2028", text: "Samla goda exempel på intranätet."}
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LOKFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LOKFLOW_DATABASE_URL", raising=False)
    clock = FixedClock(datetime(2026, 10, 1, 9, tzinfo=UTC))
    app = bootstrap(Settings(_env_file=None), clock=clock)
    load(app, PLANS / "tierp.yaml")
    with app.sessions.begin() as session:
        done = session.scalars(select(t.Activity).where(t.Activity.key == "kommun-3.1")).one()
        record_report(session, done, ReportInput(Status.DONE, "Kim", "web"), clock.at,
                      date(2026, 10, 1))
    app.close()
    return tmp_path


def test_tierp_into_a_2027_version(home: Path) -> None:
    decisions = home / "beslut.yaml"
    decisions.write_text(DECISIONS, encoding="utf-8")
    report = home / "andringar.md"
    dry = runner.invoke(cli, ["renegotiate", "tierp", "--to-period", "2027-", "--decisions",
                              str(decisions), "--report", str(report)])
    assert dry.exit_code == 0, dry.output
    assert "tierp -> tierp-2027 (2027-)" in dry.output and "not created" in dry.output
    markdown = report.read_text(encoding="utf-8")
    assert markdown.startswith("# Ändringar inför omförhandlingen: tierp → tierp-2027")
    assert "| Kommunen 1.4 | avslutas |" in markdown  # readable labels
    assert "Projektmedlen bevakas nu av näringslivsenheten." in markdown
    assert "| Kommunen 3.1 | avslutas |" in markdown and "Klar i förra perioden (klar)." in markdown
    assert "Samla goda exempel på intranätet. · tidsplan: 2027-2028" in markdown
    assert "| Kommunen 1.2 | förs över |" in markdown
    assert "## Åtagande 1. Tierps kommun åtar sig" in markdown

    html = home / "andringar.html"
    made = runner.invoke(cli, ["renegotiate", "tierp", "--to-period", "2027-", "--decisions",
                               str(decisions), "--report", str(html), "--apply"])
    assert made.exit_code == 0, made.output
    assert "; created" in made.output
    assert '<th scope="row">Kommunen 1.4</th><td>avslutas</td>' in html.read_text()

    app = bootstrap(Settings(_env_file=None))
    try:
        with app.read() as session:
            plans = {p.slug: p for p in session.scalars(select(t.Plan))}
            old, new = plan_document(plans["tierp"]), plan_document(plans["tierp-2027"])
            assert (old.period.start, old.period.end) == (2022, 2026)
            assert (new.period.start, new.period.end, new.previous) == (2027, None, "tierp")
            kept = {a.id: a for _, a in new.activities()}
            before = {a.id for _, a in old.activities()}
            assert before - set(kept) == {"kommun-1.4", "kommun-3.1"}
            assert kept["kommun-2.1"].timeline == "2027-2028"
            old_row = next(a for _, a in old.activities() if a.id == "kommun-1.2")
            assert kept["kommun-1.2"] == old_row
            head = head_revision(session, plans["tierp-2027"].id)
            assert head is not None and head.source == "renegotiation"
            assert [r.source for r in list_revisions(session, plans["tierp"].id)][:1] == [
                "renegotiation"]
            old_reports = session.scalars(select(t.StatusReport).join(t.Activity).where(
                t.Activity.plan_id == plans["tierp"].id)).all()
            assert len(old_reports) == 1  # the old version keeps its history
    finally:
        app.close()
    again = runner.invoke(cli, ["renegotiate", "tierp", "--to-period", "2027-", "--decisions",
                                str(decisions)])
    assert again.exit_code == 0
    wrong = runner.invoke(cli, ["renegotiate", "tierp", "--to-period", "snart"])
    assert wrong.exit_code == 1 and "--to-period must look like" in wrong.output


def test_the_web_flow_previews_then_creates(home: Path) -> None:
    from fastapi.testclient import TestClient

    from lokflow.web.app import create_app
    from tests.support.follow_up import coordinator_login, text_of
    from tests.support.reporting import hidden

    app = bootstrap(Settings(_env_file=None))
    page_url = "/samordnare/planer/tierp/omforhandla"
    try:
        with TestClient(create_app(app), follow_redirects=False) as client:
            coordinator_login(app, client, organisation="tierp")
            form = client.get(page_url).text
            assert 'id="a-kommun-3.1-action"' in form
            assert '<option value="close" selected>avslutas</option>' in form  # done: closed
            fields = {"csrf": hidden(form, "csrf"), "start": "2027", "end": "",
                      "a-kommun-1.4-action": "close", "a-kommun-1.4-reason": "<b>Klart</b>",
                      "a-kommun-2.1-action": "change", "a-kommun-2.1-timeline": "2027-2028"}
            preview = client.post(page_url, data={**fields, "action": "preview"})
            assert preview.status_code == 200
            assert "Ändringar i tierp-2027" in preview.text
            assert "&lt;b&gt;Klart&lt;/b&gt;" in preview.text
            summary = text_of(preview.text)
            # Open work whose dates lie before 2027 gets a proposed timeline in the new
            # period (Tierp's 2022–2026 deadlines): changed, with the reason shown.
            assert "14 förs över, 20 ändras, 2 avslutas" in summary
            assert "Tidplanen 2022 låg före den nya perioden; föreslagen ny tidplan: " \
                   "Under 2027" in summary
            wrong = client.post(page_url, data={**fields, "start": "snart", "action": "apply"})
            assert wrong.status_code == 422 and "fyra siffror" in wrong.text
            made = client.post(page_url, data={**fields, "action": "apply"})
            assert made.status_code == 303
            assert made.headers["location"] == "/samordnare/planer/tierp-2027/historik"
            again = client.post(page_url, data={**fields, "action": "apply"})
            assert again.status_code == 409
        with app.read() as session:
            new = plan_document(session.scalars(select(t.Plan).where(
                t.Plan.slug == "tierp-2027")).one())
        kept = {a.id: a for _, a in new.activities()}
        assert "kommun-1.4" not in kept and kept["kommun-2.1"].timeline == "2027-2028"
    finally:
        app.close()
