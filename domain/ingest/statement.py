"""The facts an accessibility statement needs (GOV.UK model statement), read from a small JSON file
the council edits: contact details, dates, compliance status. Nothing here is invented: values
the council has not filled in stay as [placeholders] and `is_placeholder` says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

DEFAULT_STATEMENT_PATH = Path(__file__).resolve().parents[2] / "data" / "accessibility" / \
    "statement.json"
COMPLIANCE_LEVELS = ("fully", "partially", "not")


def is_placeholder(text: str) -> bool:
    """A value still to be filled in by the council: written in [square brackets]."""
    text = text.strip()
    return text.startswith("[") and text.endswith("]")


@dataclass(frozen=True)
class StatementDetails:
    organisation: str
    service_name: str
    contact_email: str
    contact_phone: str
    contact_team: str
    response_days: str
    prepared: date
    last_reviewed: date
    last_tested: date
    compliance: str  # one of COMPLIANCE_LEVELS

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Names of the fields the council has still to fill in."""
        return tuple(f.name for f in fields(self)
                     if isinstance(getattr(self, f.name), str)
                     and is_placeholder(getattr(self, f.name)))


class StatementError(ValueError):
    """The statement file cannot be used; the message names the file, the field and the fix."""


def load_statement(path: Path = DEFAULT_STATEMENT_PATH) -> StatementDetails:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    values = {}
    for field in fields(StatementDetails):
        if field.name not in raw:
            raise StatementError(f"{path}: field '{field.name}' is missing; add it (use "
                                 f"[square brackets] for a value still to be filled in)")
        values[field.name] = str(raw[field.name]).strip()
    for name in ("prepared", "last_reviewed", "last_tested"):
        try:
            values[name] = date.fromisoformat(values[name])
        except ValueError:
            raise StatementError(f"{path}: field '{name}' is '{values[name]}'; write a date as "
                                 "YYYY-MM-DD, e.g. 2026-11-28") from None
    if values["compliance"] not in COMPLIANCE_LEVELS:
        raise StatementError(f"{path}: field 'compliance' is '{values['compliance']}'; use one of "
                             f"{', '.join(COMPLIANCE_LEVELS)}")
    return StatementDetails(**values)
