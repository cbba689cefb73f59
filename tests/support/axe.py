"""axe-core (Deque's accessibility rules, pinned in tests/js/package-lock.json)
run inside the page by Playwright: WCAG 2.0/2.1 A and AA rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route

JS = Path(__file__).resolve().parents[1] / "js"
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    """The axe-core script, installed with npm ci if missing."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: run tests/install-system-deps.sh")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=JS, check=True,
                       timeout=180)
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, source: str | None = None) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (the context must bypass the
    page's CSP, which rightly refuses inline scripts)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source or axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))", TAGS)
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
