"""Make deleted rows unrecoverable from the database files, not just invisible.

A DELETE only marks rows dead: until the space is rewritten their bytes stay in the
table and index files (and, on PostgreSQL, in the write-ahead log until it is
recycled). After a GDPR erasure that is not good enough, so erasures are followed
by :func:`reclaim` on the tables they touched (``lotsen retention run`` does it
daily; ``docs/security.md`` says what each store then guarantees).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def reclaim(engine: Engine, tables: list[str]) -> dict[str, object]:
    """Rewrite ``tables`` so erased rows leave no bytes behind; returns what was done.

    - PostgreSQL: ``VACUUM FULL`` writes each table and its indexes anew (the old
      files are unlinked), then ``CHECKPOINT`` lets the WAL segments holding the
      deleted rows be recycled. VACUUM FULL locks each table for its duration, which
      is why this runs in the nightly job and not inside each erasure.
    - SQLite: erasures run with ``secure_delete`` (freed pages are zeroed), so only
      the WAL file can still hold old page images: a truncating checkpoint empties it.
    """
    done: list[str] = []
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            # VACUUM FULL must keep a deleted row that an open transaction may still
            # see; such rows go at the next run. Report how many could hold rows back:
            # snapshots in this database, and writing transactions in ANY database of
            # the cluster, since VACUUM's own snapshot cannot reach past a running xid.
            held_back = connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                "AND (backend_xid IS NOT NULL OR (datname = current_database() "
                "AND backend_xmin IS NOT NULL))")).scalar_one()
            if held_back:
                done.append(f"{held_back} other open transaction(s) may keep rows until "
                            "the next run")
            quote = engine.dialect.identifier_preparer.quote
            for table in tables:
                connection.execute(text(f"VACUUM (FULL, ANALYZE) {quote(table)}"))
                done.append(f"VACUUM FULL {table}")
            try:
                connection.execute(text("CHECKPOINT"))
                done.append("CHECKPOINT")
            except SQLAlchemyError:
                # Needs superuser or pg_checkpoint; the server's own checkpoints follow
                # within checkpoint_timeout (default 5 minutes).
                log.warning("CHECKPOINT refused: WAL is recycled at the next automatic one")
        elif engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            done.append("wal_checkpoint(TRUNCATE)")
    return {"backend": engine.dialect.name, "done": done}
