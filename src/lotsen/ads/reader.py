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


def _lines(handle: IO[str]) -> Iterator[RawRecord]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield RawRecord(number, json.loads(line))
        except json.JSONDecodeError as error:
            yield RawRecord(number, None, f"invalid JSON: {error.msg} (column {error.colno})")


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
            except json.JSONDecodeError as error:
                more = "" if eof else handle.read(CHUNK)
                if not more:
                    eof = True
                    yield RawRecord(line, None, f"invalid JSON: {error.msg}")
                    return
                buffer = buffer[position:] + more
                position = 0
        yield RawRecord(line, value)
        line += buffer.count("\n", position, end)
        position = end
        if position > CHUNK:
            buffer, position = buffer[position:], 0
