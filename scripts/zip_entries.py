"""Rewriting a zip (an .xlsx workbook is one) entry by entry, for the scripts that write test
corpora (make_plan_corpus.py, make_upload_corpus.py)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable


def rewrite_zip(content: bytes, change: Callable[[str, bytes], bytes],
                date_time: tuple[int, ...] | None = None) -> bytes:
    """`content` with each entry's data passed through `change(name, data)`; with `date_time`,
    every entry dated then (so a corpus is written the same every time)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            entry = zipfile.ZipInfo(item.filename, date_time) if date_time else item.filename
            archive.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
