"""A scenario file as parsed data plus the line of every key, for errors that point at it.

TOML is parsed with :mod:`tomllib`, which keeps no positions, so the lines are found by
scanning the text for table headers and ``key =`` (inline tables and multi-line arrays
included). YAML's lines are its nodes' start marks (:mod:`lotsen.scenario.source`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lotsen.errors import InvalidInput

KeyPath = tuple[str, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})(?:\s*\.\s*(?:{_BARE}|{_QUOTED}))*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_KEY})\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(rf"^\s*({_KEY})\s*=\s*(.*)$")
_INLINE = re.compile(rf"([{{,])\s*({_KEY})\s*=\s*")
_ITEM = re.compile(rf"{_QUOTED}|[-+]?\d[\d_.eE+-]*")


@dataclass
class Document:
    """Parsed content of one scenario file and where each key sits in it."""

    name: str
    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int | None:
        """Line of ``path``, else of its nearest enclosing key that has one."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None

    def location(self, path: KeyPath) -> str:
        key = ".".join(path) if path else "(top level)"
        line = self.line(path)
        return f"{self.name}:{line}: {key}" if line else f"{self.name}: {key}"

    def error(self, path: KeyPath, message: str) -> InvalidInput:
        return InvalidInput(message, location=self.location(path))


def _strip_comment(line: str) -> str:
    """The line without its ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def _split_key(raw: str) -> KeyPath:
    parts = re.findall(rf"{_BARE}|{_QUOTED}", raw)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def toml_lines(text: str) -> dict[KeyPath, int]:
    """Map every key path in a TOML text to the 1-based line where it is defined."""
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    array: tuple[KeyPath, int] | None = None  # open multi-line array and items seen
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw_line)
        if array is not None:
            path, count = array
            for _ in _ITEM.finditer(line.split("]", 1)[0]):
                lines.setdefault(path + (str(count),), number)
                count += 1
            array = None if "]" in line else (path, count)
            continue
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if not assign:
            continue
        path = table + _split_key(assign.group(1))
        lines.setdefault(path, number)
        value = assign.group(2).strip()
        if value.startswith("["):
            body = value[1:]
            items = list(_ITEM.finditer(body.split("]", 1)[0]))
            for index, _ in enumerate(items):
                lines.setdefault(path + (str(index),), number)
            if "]" not in body:
                array = (path, len(items))
        elif value.startswith("{"):
            _inline_table(value, path, number, lines)
    return lines


def _inline_table(value: str, base: KeyPath, number: int, lines: dict[KeyPath, int]) -> None:
    keys_at_depth: dict[int, KeyPath] = {0: base}
    for match in _INLINE.finditer(value):
        before = value[: match.start() + 1]
        depth = before.count("{") - before.count("}")
        parent = keys_at_depth.get(depth - 1, base)
        path = parent + _split_key(match.group(2))
        lines.setdefault(path, number)
        keys_at_depth[depth] = path
