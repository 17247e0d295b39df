"""Cell readers shared by the upload kinds' rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from domain.rules.failures import Failure, closest_ref, failure

Item = TypeVar("Item")


def ref_cell(text: str, by_key: Mapping[str, Item], row: int, column: str, *, code: str,
             plural: str) -> Item | Failure:
    """The plan's item (a KPI, an action) for a ref written in any case, or the failure naming
    the closest ref the plan has; the table keeps the plan's spelling. `by_key`: the items by
    their ref in lower case; `code`: the failure for a ref the plan lacks."""
    if not text:
        return failure("blank_cell", row, column, text)
    item = by_key.get(text.casefold())
    if item is not None:
        return item
    refs = [item.ref for item in by_key.values()]
    return failure(code, row, column, text,
                   example=closest_ref(text, refs, f"none: the plan lists no {plural}"))
