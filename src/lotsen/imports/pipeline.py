"""One import, start to end: read, check the header, convert rows, write in batches.

Rows are written batch by batch *while* later rows are still being checked, inside
the caller's transaction, so memory stays flat for 100,000 people. The first problem
stops the writing (checking goes on, to list every problem); any problem at the end
raises :class:`RejectedFile`, and the caller's transaction rolls back what was
written. A file lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from lotsen.imports.bulk import BulkWriter
from lotsen.imports.columns import header_names
from lotsen.imports.convert import CONVERTERS
from lotsen.imports.fits import misfits
from lotsen.imports.header import check_header
from lotsen.imports.problems import Problems
from lotsen.imports.reading import read_sheet
from lotsen.imports.resolve import Searcher
from lotsen.imports.rows import Context, Record
from lotsen.taxonomy.local import LocalConcept
from lotsen.taxonomy.model import Taxonomy

BATCH = 2000
WARNINGS_SHOWN = 200


def _check_within(record: Record, within: tuple[str, Collection[str]],
                  problems: Problems, taxonomy: Taxonomy) -> None:
    name, codes = within
    places = [("municipality", record.values.get("municipality_code"))]
    if record.org is not None:
        places.append(("municipality", record.org.municipality_code))
    for field_name, code in places:
        if code and code not in codes:
            problems.error(record.row, field_name, code,
                           f"kommunen {taxonomy.municipality(code).label} ligger utanför {name}: "
                           "du kan bara importera till din egen kommun")
            return


def run_import(
    conn: Connection,
    kind: str,
    data: bytes,
    file_name: str,
    tenant_id: int,
    taxonomy: Taxonomy,
    searcher: Searcher | None,
    today: date,
    dry_run: bool = False,
    skip_unresolved: bool = False,
    progress: Callable[[int], None] | None = None,
    local: Sequence[LocalConcept] = (),
    within: tuple[str, Collection[str]] | None = None,
) -> dict[str, Any]:
    """Import ``data`` (CSV or XLSX bytes) as ``kind`` into ``tenant_id``; the summary.
    ``local`` are the tenant's own concepts, which its cells may name. ``within`` is
    (tenant name, municipality codes) when the acting user may write only there: a row
    placed in another municipality refuses the whole file, naming the row."""
    sheet = read_sheet(data, file_name, set(header_names(kind)))
    problems = Problems(file_name)
    positions = check_header(kind, sheet.header, problems)
    if problems:
        raise problems.reject()
    ctx = Context.build(taxonomy, searcher, problems, today, skip_unresolved, local)
    writer = BulkWriter(conn, kind, tenant_id, dry_run)
    convert = CONVERTERS[kind]
    width = max(positions.values(), default=-1) + 1
    header_width = len(sheet.header)
    seen: dict[str, int] = {}
    batch: list[Record] = []
    rows = written = 0
    for number, cells in sheet.rows:
        if not any(cells):
            continue
        rows += 1
        if len(cells) > header_width and any(cells[header_width:]):
            quote = f" — ett värde som innehåller {sheet.delimiter!r} måste stå inom citattecken" \
                if sheet.delimiter else ""
            problems.error(number, None, None, f"raden har {len(cells)} värden men "
                           f"rubrikraden har {header_width} kolumner{quote}")
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        row = {key: cells[index] for key, index in positions.items()}
        source_id = row.get("source_id", "")
        if source_id in seen:
            problems.error(number, "source_id", source_id,
                           f'"{source_id}" finns två gånger i filen (först på rad '
                           f"{seen[source_id]}): varje rad behöver ett eget id")
            continue
        if source_id:
            seen[source_id] = number
        record = convert(ctx, number, row)
        for field_name, message in misfits(kind, record) if record is not None else ():
            problems.error(number, field_name, None, message)
        if record is not None and within is not None:
            _check_within(record, within, problems, taxonomy)
        if record is None or problems:
            continue
        batch.append(record)
        if len(batch) >= BATCH:
            writer.write(batch)
            written += len(batch)
            batch = []
            if progress is not None:
                progress(written)
    if rows == 0:
        problems.error(None, None, None,
                       "filen har en rubrikrad men inga rader med uppgifter: "
                       "lägg till minst en rad")
    if problems:
        raise problems.reject()
    writer.write(batch)
    written += len(batch)
    if progress is not None:
        progress(written)
    return {
        "kind": kind,
        "file": file_name,
        "format": sheet.format,
        "encoding": sheet.encoding,
        "delimiter": sheet.delimiter,
        "notes": sheet.notes,
        "rows": rows,
        "created": writer.created,
        "updated": writer.updated,
        "organizations_created": writer.orgs.created,
        "dry_run": dry_run,
        **ctx.summary(),
        "warnings": [p.as_dict() for p in problems.warnings[:WARNINGS_SHOWN]],
        "warning_count": problems.warning_count,
    }
