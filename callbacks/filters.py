"""Filters that live in the URL, so a view can be shared: `?theme=4,5&status=RED&asat=2016-17Q4`.

Codes (theme numbers, status words) may be joined by commas. Names may contain commas
("Manager, Placement Service Provision"), so they travel as repeated parameters
(`?officer=A&officer=B`); Dash passes a repeated parameter to a page layout as a list.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from domain.rules.dataset import Dataset
from domain.views.url_filters import as_list, split_list

__all__ = ["as_list", "split_list", "query_string", "pinned_asat"]


def query_string(**values: str | Iterable[str] | None) -> str:
    """`?theme=4&theme=5&asat=2016-17Q4` for the non-empty values, in the order given."""
    pairs = [(key, item) for key, value in values.items() for item in as_list(value)]
    return "?" + urlencode(pairs) if pairs else ""


def pinned_asat(dataset: Dataset, asat: str | None) -> str | None:
    """The as-at slug for the URL, or None while it is the default (so links follow new data)."""
    default = dataset.default_quarter()
    return asat if asat and (default is None or asat != default.slug) else None
