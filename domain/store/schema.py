"""Every table of the store on one `metadata`: the returns (sql.py), sign-in (accounts_tables.py),
the board's ratings (ratings.py) and the sign-offs of quarters (signoffs.py). The migrations and
their test compare against this."""

from __future__ import annotations

# noqa: their tables join `metadata` by being imported.
from domain.store import accounts_tables, ratings, signoffs  # noqa: F401
from domain.store.sql import metadata

__all__ = ["metadata"]
