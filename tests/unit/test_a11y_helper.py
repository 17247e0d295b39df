"""The accessibility checks' own logic: which axe violations fail a test and how they are shown."""

from __future__ import annotations

from a11y import ALLOWANCES, BLOCKING_IMPACTS, blocking, describe

VIOLATIONS = [
    {"id": "color-contrast", "impact": "serious", "help": "Elements must meet contrast",
     "helpUrl": "https://example.test/cc",
     "nodes": [{"target": [".kpi-when"], "failureSummary": "Fix any of the following:\n low"}]},
    {"id": "region", "impact": "moderate", "help": "Content in landmarks", "nodes": [
        {"target": ["#banner"], "failureSummary": "outside"}]},
    {"id": "button-name", "impact": "critical", "help": "Buttons must have text", "nodes": []},
]


def test_only_serious_and_critical_violations_with_nodes_fail():
    failing = blocking(None, VIOLATIONS, allowances=())
    assert [v["id"] for v in failing] == ["color-contrast"]
    assert BLOCKING_IMPACTS == {"serious", "critical"}


def test_structure_rules_fail_at_any_impact():
    assert [v["id"] for v in blocking(None, VIOLATIONS, impacts=None, allowances=())] == [
        "color-contrast", "region"]


def test_report_names_rule_impact_help_and_nodes():
    text = describe(blocking(None, VIOLATIONS, allowances=()))
    for part in ("color-contrast", "serious", "Elements must meet contrast", ".kpi-when",
                 "https://example.test/cc"):
        assert part in text


def test_every_allowance_is_one_rule_on_one_selector_with_its_upstream_issue():
    for allowance in ALLOWANCES:
        assert allowance.rule and " " not in allowance.rule
        assert allowance.selector and "," not in allowance.selector
        assert "github.com/plotly/dash/" in allowance.upstream
