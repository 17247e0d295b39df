"""Failures: one problem per row, with a message from its code's template that names the fix."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pandas as pd
import pytest

from domain.rules.failures import (ERROR, FAILURE_COLUMNS, FAILURE_TEMPLATES, SEVERITIES, WARNING,
                             Failure, closest_ref, failure, failures_frame, has_errors)

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "domain" / "rules" / "failures.py"


def codes_in_source(source: str) -> set[str]:
    """Failure codes a module uses: the first argument of any call to a function whose name ends
    in "failure" (`failure("bad_date", ...)`, `_file_failure("empty_file")`), and every
    `code="..."` keyword, so a declaration written either way is found."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        if name.endswith("failure") and node.args and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
        found.update(keyword.value.value for keyword in node.keywords
                     if keyword.arg == "code" and isinstance(keyword.value, ast.Constant))
    return {code for code in found if isinstance(code, str)}


def codes_used_in_domain() -> dict[str, list[str]]:
    """Each failure code the code under domain/ uses, with the modules that use it."""
    used: dict[str, list[str]] = {}
    for path in sorted((ROOT / "domain").rglob("*.py")):
        if path == REGISTRY:
            continue
        for code in codes_in_source(path.read_text(encoding="utf-8")):
            used.setdefault(code, []).append(str(path.relative_to(ROOT)))
    return used


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_the_code_uses_is_registered():
    used = codes_used_in_domain()
    assert len(used) >= 20, "the scan found too few codes: has the way codes are written changed?"
    unregistered = {code: where for code, where in used.items() if code not in FAILURE_TEMPLATES}
    assert unregistered == {}


def test_every_registered_code_is_used_by_the_code():
    assert set(FAILURE_TEMPLATES) - set(codes_used_in_domain()) == set()


def test_the_scan_finds_codes_written_either_way():
    source = ("failure('bad_date', 2, 'as_at', 'x')\n_file_failure('empty_file', expected='a')\n"
              "Check(code='bad_status', template='...')\nfailure(code_variable, 1, None)\n"
              "other('not_a_code')\n")
    assert codes_in_source(source) == {"bad_date", "empty_file", "bad_status"}


@pytest.mark.parametrize("code", sorted(FAILURE_TEMPLATES))
def test_every_registered_code_has_a_severity_and_a_description(code):
    failure_type = FAILURE_TEMPLATES[code]
    assert failure_type.code == code
    assert failure_type.severity in SEVERITIES
    assert failure_type.description


@pytest.mark.parametrize("code", sorted(FAILURE_TEMPLATES))
def test_every_template_formats_with_its_fields(code):
    extras = {name: f"<{name}>" for name in template_fields(FAILURE_TEMPLATES[code].template)
              - {"value", "column", "row"}}
    made = failure(code, 7, "Value", "oops", **extras)
    assert made.code == code
    assert made.severity == FAILURE_TEMPLATES[code].severity
    assert "{" not in made.message and made.message.endswith(".")


def test_only_repeats_figures_and_areas_to_check_and_blank_rows_are_warnings():
    warnings = {code for code, t in FAILURE_TEMPLATES.items() if t.severity == WARNING}
    assert warnings == {"duplicate_row", "ambiguous_percent", "far_from_previous", "new_area",
                        "blank_value_skipped",
                        # a plan import: what the integrity rules find, a reworded measure
                        "plan_integrity", "measure_changed"}


def test_failure_fills_the_template_with_where_and_what():
    made = failure("unknown_kpi", 4, "KPI Ref", "20z", example="19a")
    assert made == Failure(row=4, column="KPI Ref", code="unknown_kpi", value="20z",
                           message="KPI '20z' is not in the plan: use one of the plan's KPI "
                                   "refs, such as 19a.",
                           severity=ERROR)


def test_a_whole_file_failure_has_no_row_or_column():
    made = failure("unreadable_file", None, None, reason="it is not UTF-8 text")
    assert made.row is None and made.column is None and made.value == ""
    assert "it is not UTF-8 text" in made.message


def test_an_unknown_code_is_refused_rather_than_given_a_vague_message():
    with pytest.raises(KeyError):
        failure("something_odd", 2, "value", "x")


def test_a_missing_template_detail_is_refused():
    with pytest.raises(KeyError):
        failure("unknown_kpi", 2, "kpi_ref", "20z")  # no example


def test_braces_in_what_was_written_are_quoted_not_formatted():
    made = failure("bad_status", 3, "status", "{row}")
    assert made.message.startswith("'{row}' is not a RAG status")


def test_the_registry_cannot_be_changed_by_a_caller():
    with pytest.raises(TypeError):
        FAILURE_TEMPLATES["bad_status"] = FAILURE_TEMPLATES["bad_date"]  # type: ignore[index]


def test_has_errors_ignores_warnings():
    warning = failure("duplicate_row", 3, None, "25", first_row=2)
    error = failure("bad_status", 4, "status", "Purple")
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert not has_errors([])


def test_failures_frame_is_one_row_per_failure_in_order():
    items = [failure("bad_status", 4, "Status", "Purple"),
             failure("empty_file", None, None, expected="a, b")]
    frame = failures_frame(items)
    assert list(frame.columns) == list(FAILURE_COLUMNS)
    assert frame["row"].tolist() == [4, None]
    assert frame["code"].tolist() == ["bad_status", "empty_file"]
    assert frame.loc[0, "column"] == "Status" and pd.isna(frame.loc[1, "column"])
    assert frame["severity"].tolist() == [ERROR, ERROR]
    assert frame.loc[0, "message"] == items[0].message


def test_failures_frame_of_nothing_has_the_columns():
    frame = failures_frame([])
    assert frame.empty and list(frame.columns) == list(FAILURE_COLUMNS)


def test_closest_ref_suggests_the_nearest_spelling():
    assert closest_ref("19z", ["1a", "19a", "17b"]) == "19a"
    assert closest_ref("QQQQ", ["1a", "19a"]) == "1a"
    assert closest_ref("x", [], "none") == "none"
