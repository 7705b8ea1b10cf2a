"""The one reader of scenario sources, bounded: a file, an upload, a request body or a
form's text becomes a :class:`Source` (UTF-8 text, its kind and its name) and then a
:class:`~lotsen.scenario.document.Document`.

Every edge reads a scenario through :func:`source_of` (or :func:`source_file`) and
:func:`parse`, so the limits hold on every path: the size before decoding, UTF-8 only
(UTF-16 and binary files are named as such), no control characters, and while parsing
at most :data:`~lotsen.limits.MAX_SCENARIO_VALUES` values *after* YAML aliases are
expanded (a "billion laughs" document of 315 bytes expands to 10^9 values), at most
:data:`~lotsen.limits.MAX_NESTING` levels (a recursive alias is infinitely deep) and
numbers of at most :data:`~lotsen.limits.MAX_NUMBER_CHARS` characters.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import yaml

from lotsen.errors import InvalidInput, LimitExceeded
from lotsen.limits import (
    CONTROL_CHARACTERS,
    MAX_NESTING,
    MAX_NUMBER_CHARS,
    MAX_SCENARIO_BYTES,
    MAX_SCENARIO_VALUES,
)
from lotsen.scenario.document import Document, KeyPath, toml_lines

SUFFIXES = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
KINDS = ("toml", "yaml", "json")
# A YAML document starts with "key:"; a TOML one with "key =" or "[table]".
_YAML_START = re.compile(r"^\s*(?:---|[\"']?[\w.-]+[\"']?\s*:(?:\s|$))")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


@dataclass(frozen=True)
class Source:
    """A scenario's text (decoded, within the size limit), its kind and its name."""

    text: str
    kind: str
    name: str


def guess_kind(text: str) -> str:
    """"json", "toml" or "yaml" for text of no stated kind, from its first real line."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            if line.lstrip().startswith("{"):
                return "json"
            return "yaml" if _YAML_START.match(line) else "toml"
    return "toml"


def _decode(raw: bytes, name: str) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and b"\x00" in raw[:2]):
        raise InvalidInput("the file is UTF-16 text; save it as UTF-8", location=name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise InvalidInput("not UTF-8 text (is it a binary file?)",
                           location=f"{name}:{line}") from None


def source_of(raw: bytes | str, name: str, kind: str | None = None) -> Source:
    """Bytes or text as a scenario source; ``kind`` else the name's suffix else a guess."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_SCENARIO_BYTES:
        raise LimitExceeded(f"a scenario may be at most {MAX_SCENARIO_BYTES:,} bytes, "
                            f"this one is {size:,}", name, quantity="scenario_bytes",
                            limit=MAX_SCENARIO_BYTES, value=size)
    text = _decode(raw, name) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    bad = next((c for c in text if c in CONTROL_CHARACTERS or "\ud800" <= c <= "\udfff"), None)
    if bad is not None:
        line = text[:text.index(bad)].count("\n") + 1
        raise InvalidInput(f"control character U+{ord(bad):04X} in the text (is it a "
                           f"binary file?)", location=f"{name}:{line}")
    suffix = PurePath(name).suffix.lower()
    kind = kind or SUFFIXES.get(suffix) or ("json" if suffix == ".json" else guess_kind(text))
    if kind not in KINDS:
        raise InvalidInput(f"unknown scenario format {kind!r}; use toml, yaml or json",
                           location=name)
    return Source(text, kind, name)


def source_file(path: str | Path) -> Source:
    """A ``.toml``, ``.yaml`` or ``.yml`` file as a source, read no further than the limit."""
    file = Path(path)
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        raise InvalidInput("a scenario file must end in .toml, .yaml or .yml", location=str(path))
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_SCENARIO_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"cannot read the scenario file: {error.strerror}",
                           location=str(path)) from None
    return source_of(raw, str(path), kind)


class _Walk:
    """Counts the values a document expands to and how deep it goes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.left = MAX_SCENARIO_VALUES

    def step(self, path: KeyPath, line: int | None = None) -> None:
        where = f"{self.name}:{line}" if line else self.name
        self.left -= 1
        if self.left < 0:
            raise LimitExceeded(f"the document expands to more than {MAX_SCENARIO_VALUES:,} "
                                f"values (YAML aliases count each time they are used)",
                                where, quantity="scenario_values", limit=MAX_SCENARIO_VALUES)
        if len(path) > MAX_NESTING:
            raise LimitExceeded(f"nested deeper than {MAX_NESTING} levels (a recursive "
                                f"alias?)", where, quantity="nesting", limit=MAX_NESTING)

    def check(self, value: Any, path: KeyPath = ()) -> None:
        """The same bounds on parsed TOML or JSON data."""
        self.step(path)
        children = (value.items() if isinstance(value, dict) else
                    enumerate(value) if isinstance(value, list) else ())
        for key, item in children:
            self.check(item, path + (str(key),))


def _yaml_value(loader: yaml.SafeLoader, node: yaml.Node, path: KeyPath,
                lines: dict[KeyPath, int], walk: _Walk) -> Any:
    line = node.start_mark.line + 1
    walk.step(path, line)
    lines.setdefault(path, line)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                raise InvalidInput("duplicate key", location=(
                    f"{walk.name}:{key_node.start_mark.line + 1}: {'.'.join(path + (key,))}"))
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _yaml_value(loader, value_node, path + (key,), lines, walk)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_value(loader, item, path + (str(i),), lines, walk)
                for i, item in enumerate(node.value)]
    if node.tag in _NUMBER_TAGS and len(str(node.value)) > MAX_NUMBER_CHARS:
        raise LimitExceeded(f"a number may have at most {MAX_NUMBER_CHARS} characters",
                            f"{walk.name}:{line}: {'.'.join(path)}", quantity="number_chars",
                            limit=MAX_NUMBER_CHARS, value=len(str(node.value)))
    value = loader.construct_object(node, deep=True)
    # YAML 1.1 reads an unquoted 0114 as octal; keep what the user wrote for codes.
    if isinstance(value, int) and re.fullmatch(r"0\d+", str(node.value)):
        return str(node.value)
    return value


def _yaml(text: str, name: str) -> Document:
    try:
        # The constructor already reads: an unprintable character fails here.
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:
        raise InvalidInput(f"not valid YAML: {error}", location=name) from None
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = {} if node is None else _yaml_value(loader, node, (), lines, _Walk(name))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise InvalidInput(f"not valid YAML: {error}", location=where) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InvalidInput("a scenario file must be a mapping of keys", location=name)
    return Document(name, data, lines)


def _toml(text: str, name: str) -> Document:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        where = f"{name}:{match.group(1)}" if match else name
        raise InvalidInput(f"not valid TOML: {error}", location=where) from None
    except ValueError:  # an integer beyond Python's 4,300 digits
        raise InvalidInput(f"a number may have at most {MAX_NUMBER_CHARS} characters",
                           location=name) from None
    _Walk(name).check(data)
    return Document(name, data, toml_lines(text))


def _json(text: str, name: str) -> Document:
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        raise InvalidInput(f"not valid JSON: {error}",
                           location=f"{name}:{line}" if line else name) from None
    if not isinstance(data, dict):
        raise InvalidInput("a scenario must be a JSON object of keys", location=name)
    _Walk(name).check(data)
    try:
        # Values from json (YAML 1.1 reads 1e3 as text); only the lines from YAML.
        return Document(name, data, _yaml(text, name).lines)
    except InvalidInput:
        return Document(name, data)  # valid JSON the YAML reader rejects: no lines


def _bracket_depth(text: str) -> tuple[int, int]:
    """Deepest ``[``/``{`` nesting outside quotes and comments, and its line. Checked before
    parsing: PyYAML's scanner takes quadratic time over deep flow nesting."""
    depth = deepest = line = where = 0
    quote = ""
    comment = False
    for char in text:
        if char == "\n":
            line, comment = line + 1, False
        elif comment:
            continue
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif char in "]}":
            depth -= 1
    return deepest, where + 1


def parse(source: Source) -> Document:
    """The source's document; syntax errors and broken limits name the file and line."""
    deepest, line = _bracket_depth(source.text)
    if deepest > MAX_NESTING:
        raise LimitExceeded(f"nested deeper than {MAX_NESTING} levels",
                            f"{source.name}:{line}", quantity="nesting", limit=MAX_NESTING)
    reader = {"toml": _toml, "yaml": _yaml, "json": _json}[source.kind]
    try:
        return reader(source.text, source.name)
    except RecursionError:  # the parsers recurse per level: deep brackets end here
        raise LimitExceeded(f"nested deeper than {MAX_NESTING} levels", source.name,
                            quantity="nesting", limit=MAX_NESTING) from None


def parse_text(text: str, name: str, kind: str) -> Document:
    """Parse ``text`` as ``kind`` ("toml", "yaml" or "json") within the limits."""
    return parse(source_of(text, name, kind))


def read_document(path: str | Path) -> Document:
    """Read a ``.toml``, ``.yaml`` or ``.yml`` scenario file within the limits."""
    return parse(source_file(path))
