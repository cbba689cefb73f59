"""Reading a tagged PDF and the report's HTML with outside tools, for tests
that compare the two: pikepdf gives the tag tree, each element's text in
reading order (its marked content, decoded with the fonts' own ToUnicode
maps), its attributes (alternative text, titles, language) and the XMP;
poppler's `pdfinfo` the document information; the standard library's HTML
parser the HTML's text. (`pdfinfo -struct-text` prints the same tree but
takes seconds per report.)"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pikepdf

HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")


@dataclass
class Element:
    """One structure element: its type, its own text chunks, its children."""

    kind: str
    attributes: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    baselines: list[float] = field(default_factory=list)  # where each text starts
    children: list[Element] = field(default_factory=list)

    def walk(self) -> list[Element]:
        found = [self]
        for child in self.children:
            found += child.walk()
        return found

    def text(self, *, skip: tuple[str, ...] = ()) -> str:
        """All text below, in reading order; elements of the `skip` kinds left out."""
        own, line = "", None
        for chunk, baseline in zip(self.texts, self.baselines, strict=True):
            # One line's runs join as they are; a line broken at a space or a
            # hyphen keeps it, a forced line break reads as a space.
            same_line = line is not None and abs(baseline - line) < 0.5
            glue = "" if same_line or not own or own[-1].isspace() or own[-1] in "-/" else " "
            own, line = own + glue + chunk, baseline
        parts = [own] if own else []
        parts += [child.text(skip=skip) for child in self.children if child.kind not in skip]
        return " ".join(part for part in parts if part)


def tag_tree(pdf: Path) -> Element:
    """The structure tree with each element's text, in reading order: marked
    content (MCIDs) of the pages' content streams, decoded through the fonts'
    ToUnicode maps, attached to the elements that own it."""
    with pikepdf.open(pdf) as document:
        texts = {page.objgen: _marked_texts(page) for page in document.pages}
        root = Element("root")
        _element(document.Root.StructTreeRoot, None, texts, root)
        return root


def _element(node: pikepdf.Dictionary, page: pikepdf.Object | None,
             texts: dict[tuple[int, int], dict[int, tuple[str, float]]],
             parent: Element) -> None:
    page = node.get("/Pg", page)
    kids = node.get("/K")
    for kid in [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary)
                                    and kid.get("/Type") == "/MCR"):
            owner = page if isinstance(kid, int) else kid.get("/Pg", page)
            assert owner is not None
            text, baseline = texts[owner.objgen].get(int(kid if isinstance(kid, int)
                                                         else kid.MCID), ("", 0.0))
            parent.texts.append(text)
            parent.baselines.append(baseline)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            child = Element(str(kid.S)[1:], attributes=_attribute_lines(kid))
            parent.children.append(child)
            _element(kid, page, texts, child)


def _attribute_lines(node: pikepdf.Dictionary) -> list[str]:
    found = node.get("/A")
    owners = [] if found is None else found if isinstance(found, pikepdf.Array) else [found]
    return [f"{key} {value}" for owner in owners if isinstance(owner, pikepdf.Dictionary)
            for key, value in owner.items() if key != "/O"]


def _marked_texts(page: pikepdf.Page) -> dict[int, tuple[str, float]]:
    """MCID → the text shown inside that marked content on one page, and the
    height of its first glyphs' baseline. Marked content nested in an MCID
    belongs to it; a span with /ActualText (a glyph shared by two characters,
    such as a no-break space) reads as that text."""
    maps = {name: _to_unicode(font) for name, font in page.Resources.get("/Font", {}).items()}
    found: dict[int, tuple[str, float]] = {}
    stack: list[tuple[int | None, bool]] = []  # (owning MCID, inside an ActualText)
    font: dict[int, str] = {}
    matrix, saved, text_y = pikepdf.Matrix(), [], 0.0

    def add(mcid: int, text: str) -> None:
        before, baseline = found.get(mcid, ("", matrix.f + text_y))
        found[mcid] = (before + text, baseline)

    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        owner, replaced = stack[-1] if stack else (None, False)
        if name == "q":
            saved.append(matrix)
        elif name == "Q":
            matrix = saved.pop()
        elif name == "cm":
            matrix = pikepdf.Matrix(*(float(x) for x in operands)) @ matrix
        elif name == "Tm":
            text_y = float(operands[5])
        elif name in ("BDC", "BMC"):
            props = operands[1] if len(operands) > 1 else None
            props = props if isinstance(props, pikepdf.Dictionary) else {}
            mcid = int(props["/MCID"]) if "/MCID" in props else owner
            actual = "/ActualText" in props and mcid is not None and not replaced
            if actual:
                add(mcid, str(props["/ActualText"]))
            stack.append((mcid, replaced or actual))
        elif name == "EMC":
            stack.pop()
        elif name == "Tf":
            font = maps.get(str(operands[0]), {})
        elif name in ("Tj", "TJ") and owner is not None and not replaced:
            strings = operands[0] if name == "TJ" else [operands[0]]
            raw = b"".join(bytes(item) for item in strings if isinstance(item, pikepdf.String))
            add(owner, "".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "")
                               for i in range(0, len(raw), 2)))
    return found


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    """A Type0/Identity-H font's ToUnicode CMap (bfchar and bfrange)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, target in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(target, 16)
            for offset in range(int(last, 16) - int(first, 16) + 1):
                found[int(first, 16) + offset] = chr(base + offset)
    return found


def normalized(text: str) -> str:
    """White space (including no-break spaces) collapsed, invisible format
    characters (a word joiner before a page number) dropped, case folded."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(visible.split()).casefold()


def struct_attributes(pdf: Path) -> list[dict[str, str]]:
    """Each structure element's type and its /Alt, /T and /Lang, in tree order."""
    found: list[dict[str, str]] = []
    with pikepdf.open(pdf) as document:
        _attributes(document.Root.StructTreeRoot, found)
    return found


def _attributes(node: pikepdf.Object, found: list[dict[str, str]]) -> None:
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            entry = {"S": str(kid.S)[1:]}
            entry.update({key[1:]: str(kid[key]) for key in ("/Alt", "/T", "/Lang")
                          if key in kid})
            found.append(entry)
            _attributes(kid, found)


def pdf_metadata(pdf: Path) -> dict[str, object]:
    """The catalogue's language and display settings, the XMP identification
    and the number of bookmarks."""
    with pikepdf.open(pdf) as document:
        meta = document.open_metadata()
        outlines = 0
        with document.open_outline() as outline:
            pending = list(outline.root)
            while pending:
                item = pending.pop()
                outlines += 1
                pending += list(item.children)
        return {
            "lang": str(document.Root.get("/Lang", "")),
            "display_title": bool(document.Root.get("/ViewerPreferences", {}).get(
                "/DisplayDocTitle", False)),
            "marked": bool(document.Root.get("/MarkInfo", {}).get("/Marked", False)),
            "ua_part": meta.get("pdfuaid:part"),
            "pdfa": (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")),
            "title": meta.get("dc:title"),
            "language": meta.get("dc:language"),
            "bookmarks": outlines,
        }


def pdfinfo(pdf: Path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True,
                            check=True).stdout
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in output.splitlines()) if value}


class _HtmlText(HTMLParser):
    """Text nodes and headings of the report's HTML body, leaving out what is
    not content: the style sheet, the running head (print only) and the SVG
    charts (the PDF describes them in their alternative text)."""

    SKIP = frozenset({"style", "title", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.tables = 0
        self._skip: list[str] = []
        self._heading: tuple[str, list[str]] | None = None
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        nested = bool(self._skip) and tag == self._skip[-1]
        if tag in self.SKIP or "running-head" in classes or nested:
            self._skip.append(tag)
        if tag == "table":
            self.tables += 1
        if tag.upper() in HEADINGS:
            self._heading = (tag.upper(), [])

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()
        if self._heading and tag.upper() == self._heading[0]:
            self.headings.append((self._heading[0], " ".join("".join(self._heading[1]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._heading:
            self._heading[1].append(data)
        text = " ".join(data.split())
        if text:
            self.nodes.append(text)


def html_content(html: str) -> _HtmlText:
    parser = _HtmlText()
    parser.feed(html.split("<body>", 1)[1])
    return parser
