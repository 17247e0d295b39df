"""The PostgreSQL adapter of the returns store: `SqlStore` (sql.py, every operation in portable
SQL) on a PostgreSQL database through psycopg 3.

Writers take turns on one transaction-level advisory lock, `pg_advisory_xact_lock(WRITER_LOCK)`,
the first statement of every write transaction (and of the migration at start). Why a lock and
not SERIALIZABLE with retry: a commit reads the current values, compares the upload with them and
writes the batch; under the lock each commit sees every earlier one, exactly as SQLite's BEGIN
IMMEDIATE gives, so both adapters behave the same and nothing is ever retried or rejected for a
conflict. Uploads are a few a minute, so making writers queue costs nothing, while a retried
commit would re-run the comparison and could still fail after its last try. The lock is released
by COMMIT or ROLLBACK, and by the server when a client dies half-way.

- Writes run at READ COMMITTED: each statement after the lock sees everything committed before
  it was granted. (Under REPEATABLE READ the snapshot would be taken by the lock statement itself,
  before the wait, and a commit could miss the one it waited for.)
- Reads run at REPEATABLE READ, so a read of several statements (the snapshot the dataset is built
  from) sees one moment, as a SQLite read transaction does. Readers never wait for writers.
"""

from __future__ import annotations

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import URL, Connection

from domain.store.sql import SqlStore

# Any 64-bit number that no other application on the same database uses as an advisory lock:
# "RETURNS" in ASCII.
WRITER_LOCK = 0x52455455524E53
_CONNECT_TIMEOUT_SECONDS = 10


class PostgresStore(SqlStore):
    """One store in one PostgreSQL database (its tables in the URL's default schema)."""

    def __init__(self, url: URL):
        engine = create_engine(
            url, isolation_level="REPEATABLE READ",
            pool_pre_ping=True,  # a connection the server dropped (restart) is replaced
            connect_args={"connect_timeout": _CONNECT_TIMEOUT_SECONDS,
                          "application_name": "improvement-plan-dashboard"})
        super().__init__(url, engine, engine.execution_options(isolation_level="READ COMMITTED"))

    def _lock_for_writing(self, conn: Connection) -> None:
        conn.execute(select(func.pg_advisory_xact_lock(WRITER_LOCK)))
