"""Debian's chromium for the browser tests, through Playwright: a phone-sized
page with JavaScript off (the pages must work without it), axe-core run in
the page as it is (Playwright evaluates even with the page's scripts off),
and counts of what a keyboard user tabs through."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.ical_checks import JS, ensure_ical_js

CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--lang=sv-SE"]  # date fields in Swedish order: ÅÅÅÅ-MM-DD
PHONE = {"width": 390, "height": 844}
FOCUSABLE = ("a[href], button, input:not([type=hidden]), select, textarea, summary, "
             "[tabindex]:not([tabindex='-1'])")


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def phone(browser: Browser, *, javascript: bool = False) -> Page:
    """A 390×844 phone in Swedish, with the page's JavaScript off by default."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=1, locale="sv-SE",
                                  java_script_enabled=javascript)
    return context.new_page()


def axe_source() -> str:
    ensure_ical_js()  # `npm ci` in tests/js installs axe-core beside ical.js
    return (JS / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


class Axe:
    """axe-core needs timers, which a page without JavaScript does not run: it
    checks a copy of the page's current DOM, on the same origin (so the same
    stylesheet applies), in a second page of its own with scripts on."""

    OPTIONS: ClassVar[dict[str, Any]] = {"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}

    def __init__(self, browser: Browser) -> None:
        self.source = axe_source()
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      device_scale_factor=1, bypass_csp=True)
        self.page = context.new_page()

    def violations(self, page: Page, origin: str | None = None) -> list[dict[str, Any]]:
        """axe-core's WCAG 2.1 A/AA violations of `page` as it is now."""
        html = page.content()
        if origin:
            self.page.goto(origin + "/healthz")
        self.page.set_content(html, wait_until="load")
        found = self.page.evaluate("(async () => {" + self.source + "\n;return await "
                                   "axe.run(document, " + json.dumps(self.OPTIONS) + ");})()")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]} for v in found["violations"]]


def focusable_count(page: Page, selector: str) -> list[int]:
    """How many tab stops each element matching `selector` holds (a radio
    group is one stop: the arrow keys move within it)."""
    counts: list[int] = page.evaluate(
        "([sel, foc]) => [...document.querySelectorAll(sel)].map(e => { const seen = new Set();"
        " return [...e.querySelectorAll(foc)].filter(x => { if (x.type !== 'radio') return true;"
        " if (seen.has(x.name)) return false; seen.add(x.name); return true; }).length; })",
        [selector, FOCUSABLE])
    return counts


def page_height(page: Page) -> int:
    height: int = page.evaluate("document.documentElement.scrollHeight")
    return height


def tab_to(page: Page, name: str, limit: int = 400) -> int:
    """Press Tab until the focused element's text or label is `name`; returns
    how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; if (!e) return ''; "
            "const l = e.labels && e.labels[0]; "
            "return (l ? l.innerText : (e.innerText || e.value || '')).trim(); }")
        if " ".join(str(focused).split()) == name:
            return presses
    raise AssertionError(f"no tab stop named {name!r} within {limit} presses")
