"""Sign-offs of a quarter (issue 14) in SQL (`SignoffRepository` in repository.py), through
SQLAlchemy Core only, so the same table works on SQLite and PostgreSQL. Each signing-off is one
inserted row; nothing is updated or deleted. Migration 0004 creates the table.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, Integer, String, Table, Text, select
from sqlalchemy.engine import Engine

from domain.rules.signoff import PeriodSignoff
from domain.store.sql import metadata, unavailable_as_such

signoffs_table = Table(
    "period_signoffs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False, index=True),  # "2016/17 Q4"
    Column("signed_by", Text, nullable=False),
    Column("signed_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("last_batch_id", Integer, nullable=False),  # the newest batch then
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@unavailable_as_such
class SqlSignoffs:
    """The sign-offs in the database behind the returns store's engine."""

    def __init__(self, engine_of):
        # A callable giving the engine, asked at each use: the store may be out of reach at start.
        self._engine_of = engine_of

    @property
    def engine(self) -> Engine:
        return self._engine_of()

    def sign_off(self, period: str, who: str, last_batch_id: int) -> PeriodSignoff:
        values = {"period": period, "signed_by": who, "signed_at": _now(),
                  "last_batch_id": last_batch_id}
        with self.engine.begin() as conn:
            new_id = conn.execute(signoffs_table.insert().values(**values)).inserted_primary_key[0]
        return PeriodSignoff(id=int(new_id), **values)

    def signoffs(self) -> list[PeriodSignoff]:
        """Every sign-off, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(signoffs_table).order_by(signoffs_table.c.id)
                                ).mappings().all()
            conn.rollback()
        return [PeriodSignoff(**row) for row in rows]
