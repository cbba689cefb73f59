"""The fonts of the PDF, and text made printable with them.

Liberation Sans (Arial's metrics, the look of most municipal documents) sets
the report; DejaVu Sans fills in what it lacks (Greek, Cyrillic, Arabic,
Hebrew, many symbols). Both come from Debian packages (`fonts-liberation`,
`fonts-dejavu-core`), and Typst gets only those packages' folders, so
whatever else is installed cannot change the PDF.

PDF/UA-1 forbids a character that no font can show, and Typst then refuses
the whole document. An owner's comment may hold anything (Chinese, a
private-use character, a control character), so every string is first made
printable: characters the fonts cannot show become U+FFFD (shown as "�"),
invisible controls and format characters are dropped, and runs of white
space become one space (as HTML shows them).
"""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FAMILIES = ("Liberation Sans", "DejaVu Sans")
# Where distributions put the two families (Debian/Ubuntu first).
FONT_FOLDERS = (
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/liberation-sans",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/liberation",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
)
FILES = {
    "Liberation Sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
}
REPLACEMENT = "\ufffd"
_WHITE_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zl", "Zp"}


class NoFonts(RuntimeError):
    """Neither Liberation Sans nor DejaVu Sans is installed."""


@dataclass(frozen=True)
class FontSet:
    families: tuple[str, ...]
    folders: tuple[str, ...]
    covered: frozenset[int]

    def printable(self, text: str) -> str:
        """The text as the PDF can show it (see the module's docstring)."""
        if not self.covered.issuperset(map(ord, text)):
            text = "".join(self._char(c) for c in text)
        return _WHITE_SPACE.sub(" ", text)

    def printable_tree(self, value: Any) -> Any:
        """Every string of a document's JSON tree made printable."""
        if isinstance(value, str):
            return self.printable(value)
        if isinstance(value, list):
            return [self.printable_tree(item) for item in value]
        if isinstance(value, dict):
            return {key: self.printable_tree(item) for key, item in value.items()}
        return value

    def _char(self, char: str) -> str:
        if ord(char) in self.covered:
            return char
        category = unicodedata.category(char)
        if category == "Zs" or char in "\t\n\r\f\v":
            return " "
        return "" if category in _DROPPED else REPLACEMENT


@cache
def installed_fonts() -> FontSet:
    """The report's fonts on this machine: found once per process."""
    families: list[str] = []
    folders: list[str] = []
    covered: set[int] = set()
    for family in FAMILIES:
        paths = [_find(name) for name in FILES[family]]
        if not all(paths):
            continue
        families.append(family)
        for path in paths:
            assert path is not None
            covered |= cmap_characters(path.read_bytes())
            if str(path.parent) not in folders:
                folders.append(str(path.parent))
    if not families:
        raise NoFonts("the PDF needs Liberation Sans or DejaVu Sans: "
                      "install fonts-liberation or fonts-dejavu-core")
    covered -= {0xFEFF, 0xFFFE, 0xFFFF}  # never shown, refused by PDF/UA
    return FontSet(tuple(families), tuple(folders), frozenset(covered))


def _find(name: str) -> Path | None:
    for folder in FONT_FOLDERS:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def cmap_characters(font: bytes) -> set[int]:
    """Every character a TrueType/OpenType font has a glyph for, read from its
    Unicode `cmap` subtable (format 12, else format 4)."""
    tables = _table_directory(font)
    if b"cmap" not in tables:
        return set()
    base = tables[b"cmap"]
    count = struct.unpack_from(">H", font, base + 2)[0]
    subtables: dict[tuple[int, int], int] = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", font, base + 4 + 8 * index)
        subtables[(platform, encoding)] = base + offset
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
        start = subtables.get(key)
        if start is None:
            continue
        kind = struct.unpack_from(">H", font, start)[0]
        if kind == 12:
            return _format_12(font, start)
        if kind == 4:
            return _format_4(font, start)
    return set()


def _table_directory(font: bytes) -> dict[bytes, int]:
    count = struct.unpack_from(">H", font, 4)[0]
    found = {}
    for index in range(count):
        tag, _, offset, _ = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        found[tag] = offset
    return found


def _format_12(font: bytes, start: int) -> set[int]:
    groups = struct.unpack_from(">I", font, start + 12)[0]
    found: set[int] = set()
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", font, start + 16 + 12 * index)
        found.update(range(first + (glyph == 0), last + 1))
    return found


def _format_4(font: bytes, start: int) -> set[int]:
    segments = struct.unpack_from(">H", font, start + 6)[0] // 2
    ends = start + 14
    starts = ends + 2 * segments + 2
    deltas = starts + 2 * segments
    offsets = deltas + 2 * segments
    found: set[int] = set()
    for seg in range(segments):
        last = struct.unpack_from(">H", font, ends + 2 * seg)[0]
        first = struct.unpack_from(">H", font, starts + 2 * seg)[0]
        delta = struct.unpack_from(">h", font, deltas + 2 * seg)[0]
        offset_at = offsets + 2 * seg
        offset = struct.unpack_from(">H", font, offset_at)[0]
        for char in range(first, min(last, 0xFFFE) + 1):
            if offset:
                raw = struct.unpack_from(">H", font, offset_at + offset + 2 * (char - first))[0]
                glyph = (raw + delta) & 0xFFFF if raw else 0
            else:
                glyph = (char + delta) & 0xFFFF
            if glyph:
                found.add(char)
    return found
