"""Stream ads out of a file in constant memory: a JSON array, JSON Lines, or either gzipped.

JobTech's historical-ads dumps are one big JSON array (gigabytes); JobSearch exports
and Lotsen's own output are JSON Lines. The format is sniffed from the first
non-blank character (``[`` → array) and gzip from the magic bytes, so file names do
not matter. Arrays are decoded object by object from a sliding buffer, never whole.
Each record comes with the line it starts on, for ``FILE:LINE: field: problem``.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lotsen.limits import MAX_NESTING

CHUNK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class RawRecord:
    line: int
    value: Any  # the decoded JSON value, or None when ``error`` is set
    error: str | None = None


def open_text(path: Path) -> IO[str]:
    raw = path.open("rb")
    magic = raw.read(2)
    raw.seek(0)
    stream: IO[bytes] = (
        gzip.GzipFile(fileobj=raw) if magic == GZIP_MAGIC else raw  # type: ignore[assignment]
    )
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def read_records(path: Path) -> Iterator[RawRecord]:
    """Every record of ``path`` with its starting line; undecodable ones carry ``error``."""
    try:
        with open_text(path) as handle:
            first = ""
            while True:
                char = handle.read(1)
                if not char or not char.isspace():
                    first = char
                    break
            handle.seek(0)
            if first == "[":
                yield from _array(handle)
            elif first:
                yield from _lines(handle)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        yield RawRecord(0, None, f"cannot read the file: {error}")


def _problem(value: Any, depth: int = 0) -> str | None:
    """Why a decoded record cannot be stored: nested too deep, or a lone surrogate
    (valid JSON escapes, but no UTF-8 text and no database column can hold one)."""
    if depth > MAX_NESTING:
        return f"nested deeper than {MAX_NESTING} levels"
    if isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):
            return "a lone surrogate (\\uD800–\\uDFFF) is not text"
        return None
    items = (value.items() if isinstance(value, dict) else
             ((None, v) for v in value) if isinstance(value, list) else ())
    for key, item in items:
        found = _problem(key, depth + 1) or _problem(item, depth + 1)
        if found:
            return found
    return None


def _decoded(number: int, text: str) -> RawRecord:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return RawRecord(number, None, f"invalid JSON: {error.msg} (column {error.colno})")
    except RecursionError:
        return RawRecord(number, None, f"nested deeper than {MAX_NESTING} levels")
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        return RawRecord(number, None, f"invalid JSON: {str(error)[:80]}")
    problem = _problem(value)
    return RawRecord(number, None, problem) if problem else RawRecord(number, value)


def _lines(handle: IO[str]) -> Iterator[RawRecord]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        yield _decoded(number, line)


def _array(handle: IO[str]) -> Iterator[RawRecord]:
    decoder = json.JSONDecoder()
    buffer = ""
    line = 1  # line number at buffer[0]
    position = 0
    started = False
    eof = False
    while True:
        # Skip whitespace, the opening bracket and commas between records.
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,[]":
                char = buffer[position]
                if char == "\n":
                    line += 1
                if char == "[":
                    if started:
                        yield RawRecord(line, None, "invalid JSON: nested array at top level")
                        return
                    started = True
                if char == "]":
                    return
                position += 1
            if position < len(buffer) or eof:
                break
            buffer, position = handle.read(CHUNK), 0
            eof = not buffer
        if position >= len(buffer):
            if started:
                yield RawRecord(line, None, "invalid JSON: the array is not closed with ]")
            return
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except RecursionError:
                yield RawRecord(line, None, f"nested deeper than {MAX_NESTING} levels")
                return
            except ValueError as error:
                if not isinstance(error, json.JSONDecodeError):
                    yield RawRecord(line, None, f"invalid JSON: {str(error)[:80]}")
                    return
                more = "" if eof else handle.read(CHUNK)
                if not more:
                    eof = True
                    yield RawRecord(line, None, f"invalid JSON: {error.msg}")
                    return
                buffer = buffer[position:] + more
                position = 0
        problem = _problem(value)
        yield RawRecord(line, None, problem) if problem else RawRecord(line, value)
        line += buffer.count("\n", position, end)
        position = end
        if position > CHUNK:
            buffer, position = buffer[position:], 0
