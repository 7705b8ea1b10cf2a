"""Write converted records in bulk: SQLAlchemy Core executemany, upsert by source id.

The ORM path (:mod:`lotsen.store.records`) loads and flushes one object graph per
row, which is right for a form and slow for 100,000 people. Here each batch costs a
handful of statements whatever its size: one INSERT ... RETURNING for new rows, one
executemany UPDATE for known rows (found by ``(tenant_id, source_id)``, loaded once),
one DELETE per child table for the updated rows' old children, one INSERT per child
table. All of it runs on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from lotsen.imports.rows import OrgRef, Record
from lotsen.store.models import (
    CompetenceNeed,
    Consent,
    EducationProgram,
    NeedSkill,
    Organization,
    Person,
    PersonLanguage,
    PersonLicence,
    PersonOccupation,
    PersonSkill,
    utcnow,
)
from lotsen.text.normalize import normalize_key

ID_CHUNK = 500  # ids per IN (...) list: far below SQLite's and PostgreSQL's limits


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


# kind → (parent table, child tables, the children's foreign key column)
LAYOUT: dict[str, tuple[Table, tuple[Table, ...], str]] = {
    "people": (
        _table(Person),
        tuple(_table(m) for m in (PersonOccupation, PersonSkill, PersonLanguage,
                                  PersonLicence, Consent)),
        "person_id",
    ),
    "needs": (_table(CompetenceNeed), (_table(NeedSkill),), "need_id"),
    "programs": (_table(EducationProgram), (), ""),
}
ORG_COLUMN = {"needs": "employer_id", "programs": "provider_id"}


def uses_copy(conn: Connection, table: Table) -> bool:
    return conn.dialect.name == "postgresql" and not any(
        isinstance(c.type, JSON) for c in table.columns)


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) in bulk, in the caller's transaction.

    SQLite: one Core executemany (sqlite3 runs it in C). PostgreSQL: COPY on the same
    connection — psycopg's executemany sends one INSERT per row, about ten times slower
    for the two million child rows of 100,000 people. Tables with JSON columns stay on
    executemany, so COPY never has to guess how to encode a list.
    """
    if not uses_copy(conn, table):
        conn.execute(insert(table), rows)
        return
    from psycopg import sql  # only present where PostgreSQL is used

    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def new_pseudonym() -> str:
    """64 random bits: not derived from the source id, so it cannot be traced back by it."""
    return "P" + secrets.token_hex(8).upper()


class OrganizationBook:
    """The tenant's organisations by org number and by name; new ones are created."""

    def __init__(self, conn: Connection, tenant_id: int, dry_run: bool = False) -> None:
        self.conn = conn
        self.tenant_id = tenant_id
        self.dry_run = dry_run
        self.created = 0
        self.by_number: dict[str, int] = {}
        self.by_name: dict[str, tuple[int, str | None]] = {}
        table = _table(Organization)
        for org_id, name, number in conn.execute(
            select(table.c.id, table.c.name, table.c.org_number)
            .where(table.c.tenant_id == tenant_id).order_by(table.c.id)
        ):
            if number:
                self.by_number.setdefault(number, org_id)
            self.by_name.setdefault(normalize_key(name), (org_id, number))

    def id_for(self, ref: OrgRef) -> int:
        if ref.org_number and ref.org_number in self.by_number:
            return self.by_number[ref.org_number]
        key = normalize_key(ref.name)
        known = self.by_name.get(key)
        if known is not None and (known[1] is None or ref.org_number is None):
            org_id = known[0]
            if ref.org_number and not self.dry_run:
                table = _table(Organization)
                self.conn.execute(update(table).where(table.c.id == org_id)
                                  .values(org_number=ref.org_number))
        else:
            org_id = self._create(ref)
        if ref.org_number:
            self.by_number[ref.org_number] = org_id
        self.by_name[key] = (org_id, ref.org_number)
        return org_id

    def _create(self, ref: OrgRef) -> int:
        self.created += 1
        if self.dry_run:  # a placeholder id, never written
            return -self.created
        table = _table(Organization)
        return int(self.conn.execute(insert(table).returning(table.c.id), {
            "tenant_id": self.tenant_id,
            "source_id": f"orgnr:{ref.org_number}" if ref.org_number else None,
            "kind": ref.kind, "name": ref.name, "org_number": ref.org_number,
            "municipality_code": ref.municipality_code, "sni_code": None,
            "is_synthetic": False,
        }).scalar_one())


class BulkWriter:
    """Upserts batches of one kind's records for one tenant; a dry run only counts."""

    def __init__(self, conn: Connection, kind: str, tenant_id: int,
                 dry_run: bool = False) -> None:
        self.conn = conn
        self.kind = kind
        self.tenant_id = tenant_id
        self.dry_run = dry_run
        self.table, self.children, self.foreign_key = LAYOUT[kind]
        self.orgs = OrganizationBook(conn, tenant_id, dry_run)
        self.created = 0
        self.updated = 0
        self.analyzed = conn.dialect.name != "postgresql"
        t = self.table
        self.existing: dict[str, int] = {
            source_id: row_id for source_id, row_id in conn.execute(
                select(t.c.source_id, t.c.id).where(t.c.tenant_id == tenant_id))
        }

    def write(self, records: Sequence[Record]) -> None:
        now = utcnow()
        fresh = [r for r in records if r.source_id not in self.existing]
        known = [r for r in records if r.source_id in self.existing]
        self.created += len(fresh)
        self.updated += len(known)
        for record in records:
            if record.org is not None:
                record.values[ORG_COLUMN[self.kind]] = self.orgs.id_for(record.org)
        if self.dry_run:
            for number, record in enumerate(fresh, start=len(self.existing) + 1):
                self.existing[record.source_id] = -number
            return
        if known and not self.analyzed:
            self._analyze()
        ids = self._insert(fresh, now) + self._update(known, now)
        self._replace_children(fresh + known, ids, [self.existing[r.source_id] for r in known])

    def _analyze(self) -> None:
        """Refresh PostgreSQL's statistics before deleting old children.

        Right after a bulk load autovacuum has not analysed the tables yet; without
        statistics the planner scans all of person_skill for every batch's
        ``DELETE ... WHERE person_id IN (...)`` — quadratic: 30 s instead of 2 for
        100,000 people. ANALYZE in a savepoint, so lacking rights costs nothing.
        """
        self.analyzed = True
        try:
            with self.conn.begin_nested():
                for table in (self.table, *self.children):
                    self.conn.execute(text(f'ANALYZE "{table.name}"'))
        except DBAPIError:
            pass

    def _insert(self, records: list[Record], now: datetime) -> list[int]:
        if not records:
            return []
        t = self.table
        rows = [self._row(r, now, new=True) for r in records]
        if uses_copy(self.conn, t):
            # COPY, then the new ids: every row of the tenant above the old maximum id
            # whose source id is in this batch (a concurrent import of the same ids
            # would have failed on the unique constraint, so these are ours).
            before = self.conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one()
            insert_rows(self.conn, t, rows)
            found = self.conn.execute(select(t.c.source_id, t.c.id).where(
                t.c.id > before, t.c.tenant_id == self.tenant_id))
        else:
            # RETURNING (source_id, id) pairs: batched multi-row INSERTs. Asking for rows
            # in parameter order instead would make SQLAlchemy fall back to one INSERT
            # per row on SQLite.
            found = self.conn.execute(insert(t).returning(t.c.source_id, t.c.id), rows)
        wanted = {r.source_id for r in records}
        self.existing.update((s, row_id) for s, row_id in found if s in wanted)
        return [self.existing[r.source_id] for r in records]

    def _update(self, records: list[Record], now: datetime) -> list[int]:
        if not records:
            return []
        ids = [self.existing[r.source_id] for r in records]
        rows = [{**self._row(r, now, new=False), "_id": i} for r, i in zip(records, ids,
                                                                             strict=True)]
        statement = update(self.table).where(self.table.c.id == bindparam("_id"))
        if self.kind == "needs":  # optimistic locking: a changed need gets a new version
            statement = statement.values(version=self.table.c.version + 1)
        self.conn.execute(statement, rows)
        return ids

    def _row(self, record: Record, now: datetime, new: bool) -> dict[str, Any]:
        row = dict(record.values)
        row.update(tenant_id=self.tenant_id, is_synthetic=False)
        if self.kind in ("people", "needs"):
            row["updated_at"] = now
            if new:
                row["created_at"] = now
        if new and self.kind == "people":
            row["pseudonym"] = new_pseudonym()
        if new and self.kind == "needs":
            row["version"] = 1
        return row

    def _replace_children(self, records: list[Record], ids: list[int],
                          old_ids: list[int]) -> None:
        for table in self.children:
            column = table.c[self.foreign_key]
            for start in range(0, len(old_ids), ID_CHUNK):
                self.conn.execute(delete(table).where(column.in_(old_ids[start:start + ID_CHUNK])))
            rows = []
            for record, parent_id in zip(records, ids, strict=True):
                for child in record.children.get(table.name, ()):
                    child[self.foreign_key] = parent_id
                    rows.append(child)
            if rows:
                insert_rows(self.conn, table, rows)
