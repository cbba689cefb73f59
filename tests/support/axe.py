"""axe-core (from npm, pinned in tests/js) run inside Debian's chromium on a
page, for the accessibility checks of the browser tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route

JS = Path(__file__).resolve().parents[1] / "js"
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    """axe.min.js, installed from the lock file if missing."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: run tests/install-system-deps.sh")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=JS, check=True,
                       timeout=300)
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.1 A/AA (and best-practice) rule the page breaks, with the
    elements that break it. The page's context must bypass its CSP, which
    rightly allows no script. The page must run JavaScript (axe waits on
    timers): see `violations_without_javascript` for one that does not."""
    found: list[dict[str, Any]] = page.evaluate(
        """async ([source, tags]) => {
            (0, eval)(source);  // also on a page whose own JavaScript is switched off
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                                                nodes: v.nodes.map(n => n.target.join(' '))}));
        }""", [axe_source(), WCAG])
    return found


def violations_without_javascript(browser: Browser, page: Page) -> list[dict[str, Any]]:
    """The same check for a page opened with JavaScript off: its DOM as it is
    now, served again at its own address (so its styles load the same) in a
    context that runs axe."""
    html = page.content()
    size = page.viewport_size or {"width": 1366, "height": 900}
    context = browser.new_context(viewport=size, bypass_csp=True)
    try:
        copy = context.new_page()

        def serve(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        copy.route(page.url, serve)
        copy.goto(page.url)
        return violations(copy)
    finally:
        context.close()
