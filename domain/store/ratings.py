"""The board's outcome ratings in SQL (`BoardRatingsRepository` in repository.py), through
SQLAlchemy Core only, so the same table works on SQLite and PostgreSQL.

Each recording is one inserted row (theme, quarter, status, rationale, who, when); nothing is
updated or deleted, so every change is kept. The table is on the store's one `metadata` (sql.py);
migration 0002 creates it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, Integer, String, Table, Text, select
from sqlalchemy.engine import Engine

from domain.rules.outcomes import BoardRating
from domain.store.sql import metadata, unavailable_as_such

board_ratings_table = Table(
    "board_ratings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("theme", Integer, nullable=False, index=True),
    Column("period", String(16), nullable=False),  # the quarter's label, "2016/17 Q4"
    Column("status", String(8), nullable=False),
    Column("rationale", Text, nullable=False),
    Column("rated_by", Text, nullable=False),
    Column("rated_at", String(32), nullable=False),  # ISO 8601, UTC
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@unavailable_as_such
class SqlBoardRatings:
    """The board's ratings in the database behind `engine` (the returns store's engine)."""

    def __init__(self, engine_of):
        # A callable giving the engine, asked at each use: the store may be out of reach at start.
        self._engine_of = engine_of

    @property
    def engine(self) -> Engine:
        return self._engine_of()

    def record(self, rating: BoardRating) -> BoardRating:
        """Store one rating, stamped now unless it carries a time; returns it as stored."""
        values = {"theme": rating.theme, "period": rating.period, "status": rating.status,
                  "rationale": rating.rationale, "rated_by": rating.rated_by,
                  "rated_at": rating.rated_at or _now()}
        with self.engine.begin() as conn:
            new_id = conn.execute(board_ratings_table.insert().values(**values)
                                  ).inserted_primary_key[0]
        return BoardRating(id=int(new_id), **values)

    def ratings(self, theme: int | None = None) -> list[BoardRating]:
        """Every rating recorded (of one theme, if given), oldest first."""
        query = select(board_ratings_table).order_by(board_ratings_table.c.id)
        if theme is not None:
            query = query.where(board_ratings_table.c.theme == theme)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            conn.rollback()
        return [BoardRating(**row) for row in rows]
