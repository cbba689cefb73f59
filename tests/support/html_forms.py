"""What a browser would post from a form of a page: every named input (text,
hidden, checked boxes), select (its selected option) and textarea, read
with the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, object]] = []
        self.fields: list[tuple[str, str]] | None = None
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.fields = []
            self.forms.append({"action": a.get("action", ""), "fields": self.fields})
        elif self.fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select = (a["name"], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea = (a["name"], [])

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select is not None and self.fields is not None:
            name, options = self.select
            chosen = [v for v, selected in options if selected] or [v for v, _ in options[:1]]
            self.fields.extend((name, v) for v in chosen[:1])
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.fields is not None:
            self.fields.append((self.textarea[0], "".join(self.textarea[1]).removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.fields = None


def form_fields(html: str, action_part: str = "") -> list[tuple[str, str]]:
    """The fields of the first form whose action contains `action_part`."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if action_part in str(form["action"]):
            return list(form["fields"])  # type: ignore[arg-type]
    raise AssertionError(f"no form with action containing {action_part!r}")


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with some values replaced (or added); names may use __ for dots."""
    wanted = {k.replace("__", "."): v for k, v in values.items()}
    out = [(n, wanted.pop(n) if n in wanted else v) for n, v in fields]
    return out + list(wanted.items())


def as_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Fields as httpx's form data (a name may repeat: checkboxes)."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
