"""The accessibility statement's details: read from the council's file, placeholders never taken
as fact, a clear message naming the field when the file is wrong."""

from __future__ import annotations

import json
from datetime import date

import pytest

from domain.ingest.statement import (DEFAULT_STATEMENT_PATH, StatementError, is_placeholder,
                              load_statement)


def _write(tmp_path, **changes):
    raw = json.loads(DEFAULT_STATEMENT_PATH.read_text(encoding="utf-8"))
    raw.update(changes)
    for key, value in changes.items():
        if value is None:
            del raw[key]
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_shipped_statement_keeps_contact_details_as_placeholders():
    details = load_statement()
    assert details.prepared == date(2026, 11, 28)
    assert details.compliance in {"fully", "partially", "not"}
    assert {"organisation", "contact_email", "contact_phone"} <= set(details.placeholders)


def test_filled_in_values_are_not_placeholders(tmp_path):
    details = load_statement(_write(tmp_path, organisation="Anytown Council"))
    assert "organisation" not in details.placeholders
    assert is_placeholder(" [to do] ") and not is_placeholder("Anytown Council")


@pytest.mark.parametrize("changes, words", [
    ({"prepared": "28/11/2026"}, ["'prepared'", "28/11/2026", "YYYY-MM-DD"]),
    ({"compliance": "mostly"}, ["'compliance'", "mostly", "partially"]),
    ({"contact_email": None}, ["'contact_email'", "missing"]),
])
def test_a_wrong_file_names_the_field_and_the_fix(tmp_path, changes, words):
    with pytest.raises(StatementError) as error:
        load_statement(_write(tmp_path, **changes))
    for word in words:
        assert word in str(error.value)
