"""Lists as the URL carries them (`?theme=4,5&officer=A&officer=B`), read the same way by the
pages' callbacks (callbacks/filters.py) and the downloads (routes/exports.py).

Codes (theme numbers, status words) may be joined by commas. Names may contain commas
("Manager, Placement Service Provision"), so they travel as repeated parameters.
"""

from __future__ import annotations

from collections.abc import Iterable


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
