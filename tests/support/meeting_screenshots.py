"""Screenshots of the dialogue-meeting pages for the README (issue 17, part
two), taken with Debian's chromium: the meeting page with its agenda,
minutes and decisions (1366 and 390 wide), the agenda PDF's pages as PNG,
and the renegotiation page with its preview.

    PYTHONPATH=$PWD python -m tests.support.meeting_screenshots docs/screenshots
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from lokflow.agreement.discussion_flags import flag_activity
from lokflow.bootstrap import bootstrap
from lokflow.settings import Settings
from lokflow.store import tables as t
from tests.conftest import PLANS
from tests.e2e.test_meetings_browser import WITH_MEETINGS
from tests.e2e.test_owner_reports_browser import chromium
from tests.support.follow_up import FRIDA, KIM, load_plan, plan_text, report, write_plan
from tests.support.reporting import coordinator
from tests.support.web_server import WebServer


def seed(folder: Path, server: WebServer) -> None:
    app = bootstrap(Settings(home=server.home, base_url=server.base_url, plans_dir=PLANS,
                             _env_file=None))
    load_plan(app, write_plan(folder / "plans", plan_text(**WITH_MEETINGS)))
    report(app, "kommun-1.1", "delayed", email=KIM, comment="Tryckeriet är försenat.")
    report(app, "civil-1.1", "in_progress", email=FRIDA)
    with app.sessions.begin() as session:
        activity = session.scalars(select(t.Activity).where(t.Activity.key == "civil-1.1")).one()
        flag_activity(session, activity, "Frida Förening", app.now(),
                      "Hur når vi föreningar som inte finns i registret?")
    coordinator(app, "sara", "foljby")
    app.close()


def shoot(server: WebServer, out: Path) -> None:
    base = server.base_url
    with chromium() as browser:
        desk = browser.new_context(viewport={"width": 1366, "height": 1000}).new_page()
        desk.goto(f"{base}/samordnare/logga-in")
        desk.get_by_label("Användarnamn").fill("sara")
        desk.get_by_label("Lösenord").fill("ett-langt-losenord")
        desk.get_by_role("button", name="Logga in").click()
        desk.goto(f"{base}/samordnare/planer/foljby/moten")
        desk.screenshot(path=str(out / "meetings-1366.png"))
        desk.get_by_role("link", name="2026-11-15").click()
        desk.get_by_role("button", name="Gör dagordningen och skicka den").click()
        desk.get_by_label("Mötets protokoll").fill(
            "Parterna gick igenom läget för bidragsguiden och föreningsregistret.\n\n"
            "Nästa möte hålls i maj.")
        desk.get_by_role("button", name="Spara protokollet").click()
        desk.get_by_label("Vad beslutades?").select_option("new_date")
        desk.get_by_label("Aktivitet", exact=True).select_option("kommun-1.1")
        desk.get_by_label("Datum", exact=True).fill("2027-03-31")
        desk.get_by_role("button", name="Spara beslutet").click()
        desk.screenshot(path=str(out / "meeting-minutes-1366.png"), full_page=True)
        pdf = desk.request.get(f"{base}/samordnare/planer/foljby/moten/2026-11-15/dagordning.pdf"
                               ).body()
        desk.goto(f"{base}/samordnare/planer/foljby/omforhandla")
        desk.get_by_label("Första året").fill("2027")
        desk.locator("#a-kommun-1\\.1-action").select_option("change")
        desk.locator("#a-kommun-1\\.1-reason").fill("Guiden blir digital.")
        desk.locator("details summary").first.click()  # kommun-1.1's changes
        desk.locator("#a-kommun-1\\.1-timeline").fill("2027")
        desk.get_by_role("button", name="Förhandsgranska ändringarna").click()
        desk.screenshot(path=str(out / "renegotiation-1366.png"))
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True, device_scale_factor=2,
                                    storage_state=desk.context.storage_state()).new_page()
        phone.goto(f"{base}/samordnare/planer/foljby/moten/2026-11-15")
        phone.locator("#minutes-title").scroll_into_view_if_needed()
        phone.screenshot(path=str(out / "meeting-minutes-390.png"))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "agenda.pdf"
        path.write_bytes(pdf)
        for number, name in ((1, "meeting-agenda-cover"), (2, "meeting-agenda")):
            subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-png", "-r", "90",
                            "-singlefile", str(path), str(out / name)], check=True)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        server = WebServer(Path(scratch) / "home")
        seed(Path(scratch), server)
        server.start()
        try:
            shoot(server, out)
        finally:
            server.stop()
    print(datetime.now(UTC).isoformat(), "screenshots in", out)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
