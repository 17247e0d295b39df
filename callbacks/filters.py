"""Filters that live in the URL, so a view can be shared: `?theme=4,5&status=RED&asat=2016-17Q4`.

Codes (theme numbers, status words) may be joined by commas. Names may contain commas
("Manager, Placement Service Provision"), so they travel as repeated parameters
(`?officer=A&officer=B`); Dash passes a repeated parameter to a page layout as a list.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from domain.dataset import Dataset


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        cleaned = str(item).strip()
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def split_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Codes: `"4,5"` or `["4", "5"]` or `["4,5"]` -> `("4", "5")`; blanks and repeats dropped."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return _unique(part for item in items for part in str(item).split(","))


def as_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Names: one per parameter, never split on commas."""
    if value is None:
        return ()
    return _unique([value] if isinstance(value, str) else value)


def query_string(**values: str | Iterable[str] | None) -> str:
    """`?theme=4&theme=5&asat=2016-17Q4` for the non-empty values, in the order given."""
    pairs = [(key, item) for key, value in values.items() for item in as_list(value)]
    return "?" + urlencode(pairs) if pairs else ""


def pinned_asat(dataset: Dataset, asat: str | None) -> str | None:
    """The as-at slug for the URL, or None while it is the default (so links follow new data)."""
    default = dataset.default_quarter()
    return asat if asat and (default is None or asat != default.slug) else None
