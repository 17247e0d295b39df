"""One record typed on a page or sent to the API (a KPI's commentary, an action's progress), checked
exactly as an uploaded file of its kind is: written out as a one-row CSV of the kind's columns
and put through `check_upload`, so a typed record and an uploaded row meet the same rules, give
the same failures and are stored the same way, as a batch (issue 14).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping
from datetime import date

from domain.ingest.kinds import upload_kind
from domain.ingest.upload import UploadCheck, check_upload
from domain.rules.plan import Plan
from domain.store.repository import ReturnsRepository, sha256_of


def record_csv(kind_name: str, cells: Mapping[str, str]) -> bytes:
    """The kind's header and one row of `cells` (a column not given is blank)."""
    kind = upload_kind(kind_name)
    columns = (*kind.required, *kind.optional)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow([cells.get(column, "") for column in columns])
    return buffer.getvalue().encode("utf-8")


def check_record(kind_name: str, cells: Mapping[str, str], plan: Plan,
                 store: ReturnsRepository, source: str, who: str, when: str,
                 asat: date | None = None) -> UploadCheck:
    """The check of one typed record of a kind, named `source` in the history. Its fingerprint
    counts who and when: a person going back to what an earlier edit said is a new edit, not
    "the same file again" (an edit equal to the current one still stores nothing)."""
    content = record_csv(kind_name, cells)
    check = check_upload(content, source, plan, store, asat)
    return dataclasses.replace(check, content_sha256=sha256_of(
        content + f"\n{who}\n{when}".encode("utf-8")), identical_to=None)
