"""The id of a row a button acts on (a batch, a plan, a display link), as the browser sent it back
in the button's pattern-matching id: a crafted request can send any JSON there."""

from __future__ import annotations

# The databases' integers are 64-bit; a row id is one of them.
_LARGEST_ROW_ID = 2 ** 63 - 1


def row_id(value) -> int | None:
    """A positive whole number from a button's id; None when it can not be a row's id."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    number = int(text)
    return number if 1 <= number <= _LARGEST_ROW_ID else None
