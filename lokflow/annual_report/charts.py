"""SVG charts for the annual report, written by hand: no JavaScript, no
network, nothing to install, and the same bytes every time (so a rebuilt
report is identical). Every text that reaches the SVG is XML-escaped."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from lokflow.annual_report.rules import STATUS_ORDER
from lokflow.texts.annual_report import status_label

COLOURS = {
    "done": "#2e7d32",
    "in_progress": "#1f6fb2",
    "not_started": "#8d99a6",
    "delayed": "#d9822b",
    "paused": "#e6c14a",
    "cancelled": "#4a4a4a",
    "none": "#ffffff",
}
INK = {"done": "#fff", "in_progress": "#fff", "not_started": "#fff", "delayed": "#fff",
       "paused": "#222", "cancelled": "#fff", "none": "#444"}
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
WIDTH = 640


def _svg(height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'font-family={quoteattr(FONT)} font-size="11" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _segment(x: float, y: float, w: float, h: float, status: str, count: int) -> str:
    stroke = ' stroke="#9a9a9a" stroke-width="0.8"' if status == "none" else ""
    rect = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{COLOURS[status]}"{stroke}/>')
    if w < 14 or h < 11:
        return rect
    return rect + (f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" '
                   f'fill="{INK[status]}">{count}</text>')


def legend(y: int, language: str, used: Sequence[str]) -> list[str]:
    """One row of swatches for the statuses that occur, in report order."""
    parts, x = [], 0.0
    for status in (s for s in STATUS_ORDER if s in used):
        label = status_label(status, language)
        stroke = ' stroke="#9a9a9a" stroke-width="0.8"' if status == "none" else ""
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="11" height="11" '
                     f'fill="{COLOURS[status]}"{stroke}/>')
        parts.append(f'<text x="{x + 15:.1f}" y="{y + 9.5}">{escape(label)}</text>')
        x += 15 + len(label) * 5.8 + 16
    return parts


def stacked_bars(rows: Sequence[tuple[str, dict[str, int]]], title: str, language: str) -> str:
    """One horizontal bar per group (principle or party), a segment per status,
    scaled to the group's share; the label sits above its bar."""
    biggest = max((sum(c.values()) for _, c in rows), default=0) or 1
    scale = (WIDTH - 40) / biggest
    body, y = [], 0
    used: set[str] = set()
    for label, counts in rows:
        total = sum(counts.values())
        body.append(f'<text x="0" y="{y + 11}" font-weight="bold">{escape(label)}</text>')
        x = 0.0
        for status in STATUS_ORDER:
            count = counts.get(status, 0)
            if count:
                used.add(status)
                body.append(_segment(x, y + 15, count * scale, 16, status, count))
                x += count * scale
        body.append(f'<text x="{x + 5:.1f}" y="{y + 27}" fill="#444">{total}</text>')
        y += 40
    body += legend(y + 2, language, sorted(used))
    return _svg(y + 18, title, body)


def trend_columns(years: Sequence[tuple[int, dict[str, int]]], title: str, language: str) -> str:
    """Stacked columns: how many activities had each status at each year's end."""
    height, top, bottom, left = 180, 8, 140, 34
    biggest = max((sum(c.values()) for _, c in years), default=0) or 1
    step = 10 if biggest > 40 else 5
    ceiling = -(-biggest // step) * step
    scale = (bottom - top) / ceiling
    body = []
    for tick in range(0, ceiling + 1, step):
        y = bottom - tick * scale
        body.append(f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="#d0d0d0" stroke-width="0.6"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                    f'fill="#555">{tick}</text>')
    slot = (WIDTH - left) / max(len(years), 1)
    width = min(56.0, slot * 0.6)
    used: set[str] = set()
    for index, (year, counts) in enumerate(years):
        x = left + slot * index + (slot - width) / 2
        y = float(bottom)
        for status in STATUS_ORDER:
            count = counts.get(status, 0)
            if count:
                used.add(status)
                y -= count * scale
                body.append(_segment(x, y, width, count * scale, status, count))
        body.append(f'<text x="{x + width / 2:.1f}" y="{bottom + 15}" text-anchor="middle" '
                    f'font-weight="bold">{year}</text>')
    body += legend(height - 14, language, sorted(used))
    return _svg(height, title, body)
