"""Checks the readers' tests share: a result with exactly one failure, a table in its kind's
declared columns and types."""

from __future__ import annotations

import pandas as pd


def only_failure(result):
    assert len(result.failures) == 1, result.failures
    return result.failures[0]


def assert_dtypes(table: pd.DataFrame, dtypes: dict[str, str]) -> None:
    assert list(table.columns) == list(dtypes)
    assert {c: str(t) for c, t in table.dtypes.items()} == dtypes
