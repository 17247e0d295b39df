"""Every table of the store on one `metadata`: the returns (sql.py), sign-in (accounts_tables.py)
and the board's ratings (ratings.py). The migrations and their test compare against this."""

from __future__ import annotations

from domain.store import accounts_tables, ratings  # noqa: F401 (their tables join `metadata`)
from domain.store.sql import metadata

__all__ = ["metadata"]
