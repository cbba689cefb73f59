"""YAML with line numbers, read within fixed limits, so that every error in a
plan file can name its line and no file can make lokflow run away.

The text is parsed once, as a stream of events, by libyaml where available.
Data and line numbers are built from that stream with an explicit stack:
anchors, aliases and tags are refused where they appear (an alias is how a
342-byte file becomes gigabytes), and so are deep nesting, huge mappings and
lists, very long values and too many values in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"}


@dataclass(frozen=True)
class YamlLimits:
    """What a plan file may hold; far beyond any real plan (the largest: 1,300 values)."""

    depth: int = 20
    values: int = 150_000
    items: int = 10_000
    keys: int = 100
    value_chars: int = 10_000
    key_chars: int = 100


LIMITS = YamlLimits()


class YamlProblem(Exception):
    """The text is not YAML lokflow accepts; carries the 1-based line and the path."""

    def __init__(self, line: int, message: str, path: Path_ = ()) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.path = path


@dataclass
class LineMap:
    """Maps a path of keys/indices in the document to the line it starts on."""

    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), 1)


def load_yaml_with_lines(text: str, limits: YamlLimits = LIMITS) -> tuple[Any, LineMap]:
    """Parse `text`; duplicate keys are errors (PyYAML would keep the last)."""
    loader = _Loader(text)
    builder = _Builder(loader, limits)
    try:
        while loader.check_event():
            builder.take(loader.get_event())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        if "nesting depth" in str(error.problem):  # libyaml's own limit, looking ahead
            raise YamlProblem(line, f"nested more than {limits.depth} levels deep") from None
        raise YamlProblem(line, f"not valid YAML: {error.problem or error}") from None
    except yaml.reader.ReaderError as error:
        line = _line_at(text, error.position)
        raise YamlProblem(line, f"not valid YAML: {error.reason}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    return builder.root, builder.lines


@dataclass
class _Frame:
    """An open mapping or list: where it is and what it holds so far."""

    path: Path_
    value: dict[str, Any] | list[Any]
    key: str | None = None
    seen: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Turns parser events into plain data and a LineMap, refusing what plans never need."""

    def __init__(self, loader: Any, limits: YamlLimits) -> None:
        self.loader, self.limits = loader, limits
        self.stack: list[_Frame] = []
        self.lines = LineMap()
        self.root: Any = None
        self.documents = self.values = 0

    def take(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(line, "a plan file holds one YAML document; remove the '---'")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, _no_anchors(f"*{event.anchor}"), self._next_path())
        elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            self._node(event, line)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()

    def _node(self, event: yaml.NodeEvent, line: int) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and frame.key is None:
            self._key(frame, event, line)
            return
        path = self._next_path()
        self._check(event, line, path)
        if frame is None or isinstance(frame.value, list):  # a value's line is its key's
            self.lines.lines[path] = line
        if isinstance(event, yaml.ScalarEvent):
            self._place(frame, self._scalar(event, line, path), line)
            return
        if len(self.stack) >= self.limits.depth:
            raise YamlProblem(line, f"nested more than {self.limits.depth} levels deep",
                              _keys_only(path))
        opened = _Frame(path, {} if isinstance(event, yaml.MappingStartEvent) else [])
        self._place(frame, opened.value, line)
        self.stack.append(opened)

    def _check(self, event: yaml.NodeEvent, line: int, path: Path_) -> None:
        self.values += 1
        if self.values > self.limits.values:
            raise YamlProblem(line, f"more than {self.limits.values:,} values in one file", path)
        if event.anchor is not None:
            raise YamlProblem(line, _no_anchors(f"&{event.anchor}"), path)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(line, f"YAML tags ({shown}) are not allowed in a plan file", path)

    def _key(self, frame: _Frame, event: yaml.NodeEvent, line: int) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise YamlProblem(line, "a key must be plain text, not a list or mapping", frame.path)
        self._check(event, line, frame.path)
        key = event.value
        if len(key) > self.limits.key_chars:
            raise YamlProblem(line, f"a key longer than {self.limits.key_chars} characters",
                              frame.path)
        if key in frame.seen:
            raise YamlProblem(line, f"duplicate key {key!r} (first on line {frame.seen[key]})")
        if len(frame.seen) >= self.limits.keys:
            raise YamlProblem(line, f"more than {self.limits.keys} keys in one mapping",
                              frame.path)
        frame.seen[key] = line
        frame.key = key
        self.lines.lines[(*frame.path, key)] = line

    def _next_path(self) -> Path_:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, dict):
            return (*frame.path, frame.key) if frame.key is not None else frame.path
        return (*frame.path, len(frame.value))

    def _place(self, frame: _Frame | None, value: Any, line: int) -> None:
        if frame is None:
            self.root = value
        elif isinstance(frame.value, dict):
            assert frame.key is not None
            frame.value[frame.key] = value
            frame.key = None
        else:
            if len(frame.value) >= self.limits.items:
                raise YamlProblem(line, f"more than {self.limits.items:,} items in one list",
                                  frame.path)
            frame.value.append(value)

    def _scalar(self, event: yaml.ScalarEvent, line: int, path: Path_) -> Any:
        text = event.value
        if len(text) > self.limits.value_chars:
            raise YamlProblem(line, f"a value longer than {self.limits.value_chars:,} "
                                    "characters", path)
        tag = self.loader.resolve(yaml.ScalarNode, text, event.implicit)
        if tag in _PLAIN_TAGS:
            return text
        node = yaml.ScalarNode(tag, text)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except (ValueError, OverflowError, yaml.YAMLError) as error:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise YamlProblem(line, f"cannot read {shown}: {error}", path) from None


def _line_at(text: str, position: int) -> int:
    """The line of a reader error: libyaml counts bytes, PyYAML characters."""
    if _Loader is yaml.SafeLoader:
        return text[:position].count("\n") + 1
    return text.encode("utf-8")[:position].count(b"\n") + 1


def _keys_only(path: Path_) -> Path_:
    """`path` up to its last key: ('note', 0, 0, 0) -> ('note',)."""
    keep = len(path)
    while keep and isinstance(path[keep - 1], int):
        keep -= 1
    return path[:keep]


def _no_anchors(what: str) -> str:
    return (f"YAML anchors and aliases ({what}) are not allowed in a plan file; "
            "write each value out")
