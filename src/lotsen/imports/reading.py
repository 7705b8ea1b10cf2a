"""Read an uploaded CSV or XLSX file into a header and rows of text cells.

Files come from Excel more often than from anything else, and Excel on a Swedish
Windows saves "CSV" in Windows-1252 with ``;`` between values (the comma is the
decimal separator), "CSV UTF-8" with a byte-order mark, and ``.xlsx`` with numbers
and dates as typed cells. All of these are read the same way; what was detected is
reported back (``notes``) rather than silently assumed. Row numbers are spreadsheet
rows: the header is row 1, as Excel shows it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath

from lotsen.errors import Problem, RejectedFile
from lotsen.imports.columns import normalize_header

DELIMITERS = (";", ",", "\t")
# A Latin letter such as å/ä/ö in UTF-8: two bytes, C3 then 80-BF.
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]")
# The same letters encoded twice ("Ã¥" for "å"): Ã in UTF-8, then a UTF-8 lead byte.
_DOUBLE_ENCODED = re.compile(rb"\xc3\x83[\xc2\xc5\xe2]")
_BLANK = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\Z")
CHUNK = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
MAX_XLSX_UNPACKED = 200_000_000  # bytes once unzipped; a real 100,000-row sheet is ~60 MB


def _fail(message: str, file_name: str, row: int | None = None) -> RejectedFile:
    return RejectedFile([Problem(file_name, row, None, None, message)])


@dataclass
class Sheet:
    """The cells of one file: ``rows`` yields ``(row number, cells)`` once."""

    file_name: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    format: str  # csv | xlsx
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def read_sheet(data: bytes, file_name: str, expected: set[str]) -> Sheet:
    """Open ``data`` as XLSX or CSV (by content, then by name); ``expected`` helps sniffing."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            "gamla Excel 97–2003-filer (.xls) kan inte läsas: spara som .xlsx eller CSV UTF-8",
            file_name,
        )
    if _BLANK.match(data):
        raise _fail(
            "filen är tom: den behöver en rubrikrad och minst en rad med uppgifter "
            "(ladda ner mallen)",
            file_name,
        )
    if data.startswith(XLSX_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, file_name)
    return _read_csv(data, file_name, expected)


def detect_encoding(data: bytes, file_name: str) -> str:
    """The file's encoding — UTF-8 (with or without BOM), UTF-16, or Windows-1252 —
    checked in chunks, so a 60 MB file is never held twice as text."""
    if data.startswith(codecs.BOM_UTF8):
        _check(data, "utf-8", file_name, start=3)
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _check(data, "utf-16", file_name)
        return "utf-16"
    elif b"\x00" in data:
        row = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise _fail("filen innehåller NUL-tecken: den är ingen textfil (CSV)", file_name, row)
    else:
        bad = _invalid_at(data, "utf-8")
        if bad is None:
            encoding = "utf-8"
        elif _UTF8_LETTER.search(data):
            # Valid UTF-8 å/ä/ö elsewhere: a UTF-8 file with a few foreign bytes, which
            # reading as Windows-1252 would garble everywhere else.
            raise _fail(
                f"tecknet 0x{data[bad]:02X} är inte giltig UTF-8 i en fil som annars är "
                "UTF-8: filen blandar teckenkodningar; spara den igen som CSV UTF-8",
                file_name, data.count(b"\n", 0, bad) + 1)
        else:
            # Excel's plain "CSV" on a Swedish Windows is Windows-1252.
            _check(data, "cp1252", file_name)
            return "cp1252"
    double = _DOUBLE_ENCODED.search(data)
    if double:
        raise _fail(
            "å, ä och ö syns förvanskade (som Ã¥, Ã¤, Ã¶): filen har konverterats till "
            "UTF-8 två gånger; exportera den igen från originalet",
            file_name, data.count(b"\n", 0, double.start()) + 1)
    return encoding


def _invalid_at(data: bytes, encoding: str, start: int = 0) -> int | None:
    """Offset of the first byte that cannot be decoded, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for offset in range(start, len(data), CHUNK):
        try:
            decoder.decode(view[offset:offset + CHUNK], final=offset + CHUNK >= len(data))
        except UnicodeDecodeError as error:
            return max(start, offset + error.start)
    return None


def _check(data: bytes, encoding: str, file_name: str, start: int = 0) -> None:
    bad = _invalid_at(data, encoding, start)
    if bad is not None:
        name = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(encoding, encoding)
        raise _fail(
            f"tecknet 0x{data[bad]:02X} på position {bad} kan inte läsas som {name}; "
            "spara filen som CSV UTF-8", file_name, data.count(b"\n", 0, bad) + 1)


def sniff_delimiter(header_line: str, expected: set[str]) -> str:
    """The delimiter under which the header names the most known columns."""

    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(normalize_header(c) in expected for c in cells)
        return known, len(cells)

    return max(DELIMITERS, key=score)


def _read_csv(data: bytes, file_name: str, expected: set[str]) -> Sheet:
    encoding = detect_encoding(data, file_name)
    notes = []
    if encoding == "cp1252":
        notes.append(
            "Filen var sparad som Windows-1252 (Excels vanliga CSV) och lästes som det; "
            "spara som CSV UTF-8 så att alla tecken följer med."
        )
    # Decoded while read: the rows stream from the bytes, never a second full copy.
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first_line = text.readline()
    delimiter = sniff_delimiter(first_line.lstrip("\ufeff").rstrip("\r\n"), expected)
    reader = csv.reader(itertools.chain([first_line.lstrip("\ufeff")], text),
                        delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise _fail("filen är tom", file_name) from None
    except csv.Error as error:
        raise _fail(f"rubrikraden kan inte läsas: {error}", file_name, 1) from None
    return Sheet(file_name, [h.strip() for h in header], _csv_rows(reader, file_name), "csv",
                 encoding, delimiter, notes)


def _csv_rows(reader: Iterator[list[str]], file_name: str) -> Iterator[tuple[int, list[str]]]:
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _fail(f"raden kan inte läsas som CSV: {error}",
                               file_name, number) from None
        cells = [c.strip() for c in cells]
        if not is_comment(cells):
            yield number, cells


def _refuse_unsafe_xlsx(data: bytes, file_name: str) -> None:
    """A workbook's XML never needs a DTD: one that declares entities is an entity bomb or
    reaches for an external file, so it is refused before any XML parser sees it; so is a
    workbook that unpacks to more than MAX_XLSX_UNPACKED bytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_XLSX_UNPACKED:
                raise _fail(f"arbetsboken packas upp till mer än {MAX_XLSX_UNPACKED // 10**6} "
                            "MB; dela upp den eller spara som CSV", file_name)
            for member in members:
                with archive.open(member) as handle:
                    head = handle.read(4096).replace(b"\x00", b"").upper()
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise _fail(f"arbetsboken innehåller en DTD ({member.filename}), som "
                                "Excel aldrig skriver: spara den igen från Excel", file_name)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return  # load_workbook names the broken file in its own words


def _read_xlsx(data: bytes, file_name: str) -> Sheet:
    from openpyxl import load_workbook  # imported here: a CSV import should not pay for it

    _refuse_unsafe_xlsx(data, file_name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError):
        raise _fail("filen kan inte läsas som Excel-arbetsbok (.xlsx); spara den igen från "
                           "Excel som .xlsx eller som CSV UTF-8", file_name) from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(values, None)
    except (SyntaxError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        book.close()
        raise _fail("första bladet kan inte läsas (trasig XML); spara arbetsboken igen från "
                    "Excel", file_name) from None
    if header_cells is None or all(c is None or str(c).strip() == "" for c in header_cells):
        book.close()
        raise _fail(
            f"första bladet ({sheet.title!r}) är tomt: skriv rubrikraden på rad 1", file_name
        )
    header = [cell_text(c) for c in header_cells]
    while header and header[-1] == "":
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, cells in enumerate(values, start=2):
                texts = [cell_text(c) for c in cells]
                if not is_comment(texts):
                    yield number, texts
        except (SyntaxError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
            raise _fail("en rad i första bladet kan inte läsas (trasig XML); spara "
                        "arbetsboken igen från Excel", file_name) from None
        finally:
            book.close()

    return Sheet(file_name, header, rows(), "xlsx")


def is_comment(cells: list[str]) -> bool:
    """A row whose first cell starts with ``#`` is a note (the templates' examples are
    such rows): never imported, but counted, so row numbers still match the file."""
    return bool(cells) and cells[0].startswith("#")


def cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold: dates ISO, 3.0 as 3, 2.5 as 2.5."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()
