"""The pieces of the PDF's content as plain data: what the Typst template
lays out. Every piece holds final text (words, dates, owners' comments) as
JSON strings, which the template shows as text and never reads as markup:
nothing an owner typed can become Typst code.

A run is `{"t": text, "s": style}`; an inline is a list of runs. Styles are
"" (plain), "b" (bold), "muted", "id" (an activity's key), "br" (a line
break), "party", "dot:STATUS" (a status colour swatch) and "badge:STATUS" /
"tag:STATUS" (a status label, large or small)."""

from __future__ import annotations

from typing import Any

Run = dict[str, str]
Inline = list[Run]
Block = dict[str, Any]


def run(text: object, style: str = "") -> Run:
    return {"t": str(text), "s": style}


def plain(text: object) -> Inline:
    return [run(text)]


def line_break() -> Run:
    return run("", "br")


def labelled(label: str, value: str) -> Inline:
    """'**Kommentar:** text', as the HTML writes it."""
    return [run(f"{label}:", "b"), run(f" {value}")]


def key_and_text(key: str, text: str) -> Inline:
    """An activity's key with its (shortened) text on the next line."""
    return [run(key, "id"), line_break(), run(text, "muted")]


def joined(lines: list[str]) -> Inline:
    """Lines separated by line breaks."""
    found: Inline = []
    for index, line in enumerate(lines):
        if index:
            found.append(line_break())
        found.append(run(line))
    return found


def heading(level: int, text: Inline | str, style: str = "") -> Block:
    return {"k": "h", "level": level, "body": plain(text) if isinstance(text, str) else text,
            "style": style}


def para(body: Inline | str, style: str = "") -> Block:
    return {"k": "p", "body": plain(body) if isinstance(body, str) else body, "style": style}


def bullets(items: list[Inline], style: str = "") -> Block:
    return {"k": "list", "items": items, "style": style}


def table(style: str, head: list[Inline], rows: list[list[Inline]], *,
          numeric: tuple[int, ...] = (), sum_last: bool = False) -> Block:
    """A table with a header row; `numeric` columns are right-aligned and the
    last row is a sum row when `sum_last`."""
    return {"k": "table", "style": style, "head": head, "rows": rows,
            "num": [index in numeric for index in range(len(head))], "sum": sum_last}


def key_figures(items: list[tuple[str, str, str]]) -> Block:
    return {"k": "figures",
            "items": [{"value": value, "label": label, "tone": tone}
                      for value, label, tone in items]}


def chart(svg: str, alt: str, caption: str) -> Block:
    return {"k": "chart", "svg": svg, "alt": alt, "caption": caption}


def chapter(title: str, blocks: list[Block], *, new_page: bool = True,
            style: str = "") -> Block:
    return {"k": "chapter", "title": title, "blocks": blocks, "new_page": new_page,
            "style": style}
