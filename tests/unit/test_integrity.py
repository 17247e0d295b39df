"""The plan register's integrity rules, each on a tiny plan built from the dataclasses."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path

import pytest

from domain.rules.integrity import (RULES, SEVERITIES, Finding, check_plan, expand_kpi_refs,
                              findings_frame, read_kpi_refs_label, rule_for)
from domain.rules.labels import LabelError, parse_due_label, parse_target_label
from domain.rules.plan import Action, Kpi, Plan, Theme

PLAN_START = date(2016, 4, 1)
PLAN_END = date(2017, 3, 31)
# Refs shaped like the real plan's: lettered groups (1a-1e, 17a-c) beside single KPIs (4, 15).
REFS = ("1a", "1b", "1c", "1d", "1e", "2a", "2b", "3a", "3b", "4", "6a", "6b", "12a", "12b",
        "15", "17a", "17b", "17c", "18a", "18b")


def make_theme(number: int = 1) -> Theme:
    return Theme(number=number, title=f"Theme {number}", aim="aim", outcome="outcome")


def make_kpi(ref: str = "1a", theme: int = 1, **changes) -> Kpi:
    kpi = Kpi(ref=ref, theme=theme, measure=f"measure {ref}", responsible_officer="Officer",
              frequency="quarterly", target_label="80%", target=80.0, unit="percent",
              denominator=None, polarity="higher", due_label="Mar-17",
              due_date=date(2017, 3, 31))
    return dataclasses.replace(kpi, **changes)


def make_action(ref: str = "1.1.1", theme: int = 1, kpi_refs_label: str = "1a",
                kpi_refs: tuple[str, ...] = ("1a",), **changes) -> Action:
    action = Action(ref=ref, theme=theme, heading_ref=ref.rpartition(".")[0], heading="Heading",
                    description="Do the thing.", kpi_refs_label=kpi_refs_label,
                    kpi_refs=kpi_refs, due_label="Dec 2016", due_date=date(2016, 12, 31),
                    leads=("Lead officer",))
    return dataclasses.replace(action, **changes)


def make_plan(themes=(1,), kpis=None, actions=None) -> Plan:
    return Plan(title="Plan", authority="Council", version="1", start_date=PLAN_START,
                end_date=PLAN_END, baseline_date=date(2016, 3, 31),
                themes=tuple(make_theme(n) for n in themes),
                kpis=tuple(kpis) if kpis is not None else (make_kpi(),),
                actions=tuple(actions) if actions is not None else (make_action(),))


def findings(code: str, plan: Plan) -> list[Finding]:
    return rule_for(code).check(plan)


def test_a_consistent_plan_has_no_findings():
    assert check_plan(make_plan()) == []


# --- reading the KPI Ref cell ---------------------------------------------------------------------

@pytest.mark.parametrize("label, expected", [
    ("6a,b", ("6a", "6b")),
    ("17a,b,c", ("17a", "17b", "17c")),
    ("12a,b", ("12a", "12b")),
    ("2a,b", ("2a", "2b")),
    ("1", ("1a", "1b", "1c", "1d", "1e")),
    ("18", ("18a", "18b")),
    ("17", ("17a", "17b", "17c")),
    ("1, 2, 3", ("1a", "1b", "1c", "1d", "1e", "2a", "2b", "3a", "3b")),
    ("2,3", ("2a", "2b", "3a", "3b")),
    ("1,2,3,4", ("1a", "1b", "1c", "1d", "1e", "2a", "2b", "3a", "3b", "4")),
    ("4", ("4",)),
    ("15", ("15",)),
    ("17a", ("17a",)),
    ("All", REFS),
    ("", ()),
    ("20", ()),  # names no KPI: left out here, reported by unknown_kpi_reference
    ("6a, 6a", ("6a",)),
])
def test_expand_kpi_refs(label, expected):
    assert expand_kpi_refs(label, REFS) == expected


def test_read_kpi_refs_label_keeps_what_was_written_and_what_it_means():
    parts = read_kpi_refs_label("6a,b, 1, 20", REFS)
    assert [(p.written, p.spelled_out, p.kind) for p in parts] == [
        ("6a", "6a", "kpi"), ("b", "6b", "kpi"), ("1", "1", "group"), ("20", "20", "unknown")]


# --- labels ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("label, expected", [
    ("Mar-17", date(2017, 3, 31)),
    ("Mar -17", date(2017, 3, 31)),
    ("Jun-17", date(2017, 6, 30)),
    ("Feb-16", date(2016, 2, 29)),
    ("Dec 2016", date(2016, 12, 31)),
    ("Sep 2016", date(2016, 9, 30)),
    ("March 2017", date(2017, 3, 31)),
    ("2017", date(2017, 8, 31)),  # a bare year is the end of that academic year
    ("Report quarterly", None),
    ("", None),
])
def test_parse_due_label(label, expected):
    assert parse_due_label(label) == expected


@pytest.mark.parametrize("label", ["Spring", "Mar", "13/2017", "Smarch-17"])
def test_parse_due_label_refuses_what_it_cannot_read(label):
    with pytest.raises(LabelError, match=label):
        parse_due_label(label)


@pytest.mark.parametrize("label, target, is_percent, denominator", [
    ("80%", 80.0, True, None),
    ("2.5%", 2.5, True, None),
    ("4 / 7", 4.0, False, 7.0),
    ("439", 439.0, False, None),
])
def test_parse_target_label(label, target, is_percent, denominator):
    reading = parse_target_label(label)
    assert (reading.target, reading.is_percent, reading.denominator) == (
        target, is_percent, denominator)


def test_parse_target_label_refuses_what_it_cannot_read():
    with pytest.raises(LabelError, match="about 80"):
        parse_target_label("about 80")


# --- group_reference ------------------------------------------------------------------------------

def test_group_reference_fires_for_a_bare_number_where_the_kpis_are_lettered():
    plan = make_plan(kpis=[make_kpi("18a", 1), make_kpi("18b", 1)],
                     actions=[make_action(kpi_refs_label="18", kpi_refs=("18a", "18b"))])
    [finding] = findings("group_reference", plan)
    assert (finding.subject, finding.field, finding.value) == (
        "action 1.1.1", "kpi_refs_label", "18")
    assert "18a, 18b" in finding.message


def test_group_reference_fires_once_per_group_cited():
    plan = make_plan(kpis=[make_kpi(ref) for ref in ("1a", "1b", "2a", "2b", "4")],
                     actions=[make_action(kpi_refs_label="1, 2, 4",
                                          kpi_refs=("1a", "1b", "2a", "2b", "4"))])
    assert [f.value for f in findings("group_reference", plan)] == ["1", "2"]


def test_group_reference_does_not_fire_for_a_number_that_is_itself_a_kpi():
    plan = make_plan(kpis=[make_kpi("4")], actions=[make_action(kpi_refs_label="4",
                                                                kpi_refs=("4",))])
    assert findings("group_reference", plan) == []


# --- cross_theme_reference ------------------------------------------------------------------------

def referral_plan(label: str, refs: tuple[str, ...]) -> Plan:
    """Theme 6 with its own referral KPI 19a and theme 4's caseload KPI 17a."""
    return make_plan(themes=(4, 6), kpis=[make_kpi("17a", 4), make_kpi("19a", 6)],
                     actions=[make_action("6.1.1", 6, label, refs)])


def test_cross_theme_reference_fires_when_an_action_cites_another_themes_kpi():
    [finding] = findings("cross_theme_reference", referral_plan("17a", ("17a",)))
    assert finding.subject == "action 6.1.1" and finding.value == "17a"
    assert "theme 4" in finding.message and "19a" in finding.message  # names its own KPIs


def test_cross_theme_reference_does_not_fire_for_the_actions_own_theme():
    assert findings("cross_theme_reference", referral_plan("19a", ("19a",))) == []


def test_cross_theme_reference_does_not_fire_for_all():
    assert findings("cross_theme_reference", referral_plan("All", ("17a", "19a"))) == []


# --- unknown_kpi_reference ------------------------------------------------------------------------

def test_unknown_kpi_reference_fires_for_a_label_naming_no_kpi():
    plan = make_plan(actions=[make_action(kpi_refs_label="1a, 20", kpi_refs=("1a",))])
    [finding] = findings("unknown_kpi_reference", plan)
    assert (finding.field, finding.value) == ("kpi_refs_label", "20")


def test_unknown_kpi_reference_fires_for_a_normalised_ref_naming_no_kpi():
    plan = make_plan(actions=[make_action(kpi_refs_label="1a", kpi_refs=("1a", "1z"))])
    [finding] = findings("unknown_kpi_reference", plan)
    assert (finding.field, finding.value) == ("kpi_refs", "1z")


def test_unknown_kpi_reference_fires_once_when_label_and_kpi_refs_name_the_same_ref():
    plan = make_plan(actions=[make_action(kpi_refs_label="20", kpi_refs=("20",))])
    assert [(f.field, f.value) for f in findings("unknown_kpi_reference", plan)] == [
        ("kpi_refs_label", "20")]


def test_unknown_kpi_reference_does_not_fire_when_every_ref_exists():
    plan = make_plan(kpis=[make_kpi("6a"), make_kpi("6b")],
                     actions=[make_action(kpi_refs_label="6a,b", kpi_refs=("6a", "6b"))])
    assert findings("unknown_kpi_reference", plan) == []


# --- due_before_plan_start ------------------------------------------------------------------------

def test_due_before_plan_start_fires_for_an_action_due_before_the_plan_began():
    plan = make_plan(actions=[make_action(due_label="Mar 2016", due_date=date(2016, 3, 31))])
    [finding] = findings("due_before_plan_start", plan)
    assert (finding.subject, finding.value) == ("action 1.1.1", "Mar 2016")
    assert "2016-04-01" in finding.message


def test_due_before_plan_start_fires_for_a_kpi_too():
    plan = make_plan(kpis=[make_kpi(due_label="Jan-16", due_date=date(2016, 1, 31))])
    assert [f.subject for f in findings("due_before_plan_start", plan)] == ["KPI 1a"]


def test_due_before_plan_start_does_not_fire_in_the_plans_first_month_or_without_a_date():
    plan = make_plan(actions=[
        make_action("1.1.1", due_label="Apr 2016", due_date=date(2016, 4, 30)),
        make_action("1.1.2", due_label="Report quarterly", due_date=None)])
    assert findings("due_before_plan_start", plan) == []


# --- action_outside_heading -----------------------------------------------------------------------

def test_action_outside_heading_fires_when_the_number_belongs_to_another_heading():
    plan = make_plan(actions=[make_action("1.2.4", heading_ref="1.3")])
    [finding] = findings("action_outside_heading", plan)
    assert (finding.subject, finding.field, finding.value) == ("action 1.2.4", "heading_ref",
                                                               "1.3")
    assert "numbered under 1.2" in finding.message


def test_action_outside_heading_does_not_fire_under_its_own_heading():
    assert findings("action_outside_heading", make_plan(actions=[make_action("1.3.1")])) == []


# --- no_kpi_reference -----------------------------------------------------------------------------

def test_no_kpi_reference_fires_for_an_action_citing_nothing():
    plan = make_plan(actions=[make_action(kpi_refs_label="", kpi_refs=())])
    [finding] = findings("no_kpi_reference", plan)
    assert finding.severity == "info" and finding.subject == "action 1.1.1"


def test_no_kpi_reference_does_not_fire_for_a_cited_kpi_or_all():
    plan = make_plan(actions=[make_action("1.1.1"),
                              make_action("1.1.2", kpi_refs_label="All", kpi_refs=("1a",))])
    assert findings("no_kpi_reference", plan) == []


# --- kpi_not_cited --------------------------------------------------------------------------------

def test_kpi_not_cited_fires_when_only_all_mentions_the_kpi():
    plan = make_plan(kpis=[make_kpi("1a"), make_kpi("1b")],
                     actions=[make_action("1.1.1", kpi_refs_label="1a", kpi_refs=("1a",)),
                              make_action("1.1.2", kpi_refs_label="All",
                                          kpi_refs=("1a", "1b"))])
    [finding] = findings("kpi_not_cited", plan)
    assert (finding.subject, finding.severity) == ("KPI 1b", "warning")
    assert "cite 1a" in finding.message  # what the theme's actions cite instead


def test_kpi_not_cited_does_not_fire_for_a_cited_kpi():
    assert findings("kpi_not_cited", make_plan()) == []


# --- due_after_plan_end ---------------------------------------------------------------------------

def test_due_after_plan_end_fires_for_kpis_and_actions_due_after_the_plan():
    plan = make_plan(kpis=[make_kpi(due_label="Jun-17", due_date=date(2017, 6, 30))],
                     actions=[make_action(due_label="Dec 2017", due_date=date(2017, 12, 31))])
    found = findings("due_after_plan_end", plan)
    assert [(f.subject, f.value, f.severity) for f in found] == [
        ("KPI 1a", "Jun-17", "info"), ("action 1.1.1", "Dec 2017", "info")]


def test_due_after_plan_end_does_not_fire_on_the_last_day():
    plan = make_plan(actions=[make_action(due_label="Mar 2017", due_date=PLAN_END)])
    assert findings("due_after_plan_end", plan) == []


# --- label_mismatch -------------------------------------------------------------------------------

LABEL_MISMATCHES = {
    "percent target differs": dict(kpi=dict(target_label="80%", target=85.0)),
    "percent label on a count": dict(kpi=dict(target_label="80%", unit="children")),
    "count label on a percent": dict(kpi=dict(target_label="439", target=439.0)),
    "out-of label without denominator": dict(kpi=dict(target_label="4 / 7", target=4.0,
                                                      unit="homes")),
    "denominator differs": dict(kpi=dict(target_label="4 / 7", target=4.0, unit="homes",
                                         denominator=8.0)),
    "unreadable target": dict(kpi=dict(target_label="about 80")),
    "KPI due month differs": dict(kpi=dict(due_label="Mar-17", due_date=date(2017, 4, 30))),
    "bare year read as March": dict(kpi=dict(due_label="2017", due_date=date(2017, 3, 31))),
    "unreadable KPI due": dict(kpi=dict(due_label="Spring")),
    "action due month differs": dict(action=dict(due_label="Dec 2016",
                                                 due_date=date(2016, 11, 30))),
    "report quarterly with a date": dict(action=dict(due_label="Report quarterly")),
    "dated label without a date": dict(action=dict(due_date=None)),
    "kpi_refs miss part of the label": dict(action=dict(kpi_refs_label="1a,b",
                                                        kpi_refs=("1a",))),
}
LABEL_AGREEMENTS = {
    "percent": dict(kpi=dict(target_label="80%", target=80.0)),
    "decimal percent": dict(kpi=dict(target_label="2.5%", target=2.5)),
    "count": dict(kpi=dict(target_label="439", target=439.0, unit="children")),
    "out of": dict(kpi=dict(target_label="4 / 7", target=4.0, unit="homes", denominator=7.0)),
    "caseload": dict(kpi=dict(target_label="60", target=60.0, unit="caseload")),
    "spaced month": dict(kpi=dict(due_label="Mar -17", due_date=date(2017, 3, 31))),
    "bare year": dict(kpi=dict(due_label="2017", due_date=date(2017, 8, 31))),
    "report quarterly": dict(action=dict(due_label="Report quarterly", due_date=None)),
    "kpi_refs in another order": dict(action=dict(kpi_refs_label="1a,b",
                                                  kpi_refs=("1b", "1a"))),
    "group expanded": dict(action=dict(kpi_refs_label="1", kpi_refs=("1a", "1b"))),
}


def label_plan(kpi: dict | None = None, action: dict | None = None) -> Plan:
    return make_plan(kpis=[make_kpi("1a", **(kpi or {})), make_kpi("1b")],
                     actions=[make_action(**(action or {}))])


@pytest.mark.parametrize("changes", LABEL_MISMATCHES.values(), ids=LABEL_MISMATCHES.keys())
def test_label_mismatch_fires_when_label_and_field_disagree(changes):
    [finding] = findings("label_mismatch", label_plan(**changes))
    assert finding.severity == "error"
    assert finding.field in {"target_label", "due_label", "kpi_refs_label"}


@pytest.mark.parametrize("changes", LABEL_AGREEMENTS.values(), ids=LABEL_AGREEMENTS.keys())
def test_label_mismatch_does_not_fire_when_they_agree(changes):
    assert findings("label_mismatch", label_plan(**changes)) == []


def test_label_mismatch_message_says_what_each_side_reads_as():
    plan = label_plan(kpi=dict(due_label="Mar-17", due_date=date(2017, 4, 30)))
    [finding] = findings("label_mismatch", plan)
    assert finding.message == ("KPI 1a: due_label 'Mar-17' reads as 2017-03-31, but the register "
                               "has due_date 2017-04-30. Check which one the plan document means "
                               "and correct the other.")


# --- duplicate_ref --------------------------------------------------------------------------------

def test_duplicate_ref_fires_for_repeated_kpis_actions_and_themes():
    plan = make_plan(themes=(1, 1), kpis=[make_kpi("1a"), make_kpi("1a")],
                     actions=[make_action("1.1.1"), make_action("1.1.1")])
    assert sorted(f.subject for f in findings("duplicate_ref", plan)) == [
        "KPI 1a", "action 1.1.1", "theme 1"]


def test_duplicate_ref_does_not_fire_for_distinct_refs():
    plan = make_plan(kpis=[make_kpi("1a"), make_kpi("1b")],
                     actions=[make_action("1.1.1"), make_action("1.1.2")])
    assert findings("duplicate_ref", plan) == []


# --- unknown_theme --------------------------------------------------------------------------------

def test_unknown_theme_fires_for_a_kpi_or_action_of_a_missing_theme():
    plan = make_plan(kpis=[make_kpi("1a"), make_kpi("20", theme=7)],
                     actions=[make_action("7.1.1", theme=7)])
    assert [(f.subject, f.value) for f in findings("unknown_theme", plan)] == [
        ("KPI 20", "7"), ("action 7.1.1", "7")]


def test_unknown_theme_does_not_fire_for_known_themes():
    assert findings("unknown_theme", make_plan()) == []


# --- findings as a table --------------------------------------------------------------------------

def test_findings_frame_lists_errors_first_with_every_field():
    plan = make_plan(kpis=[make_kpi("1a"), make_kpi("1a", due_label="Jun-17",
                                                    due_date=date(2017, 6, 30))])
    frame = findings_frame(check_plan(plan))
    assert list(frame.columns) == ["rule", "severity", "subject", "field", "value", "message"]
    assert list(frame["severity"]) == sorted(frame["severity"], key=SEVERITIES.index)
    assert frame["severity"].iloc[0] == "error"


def test_findings_are_frozen():
    finding = Finding("rule", "info", "KPI 1a", "ref", "1a", "message")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.value = "1b"  # type: ignore[misc]


# --- every rule: unique code, description, triggering plan and its own tests ----------------------

TRIGGERING_PLANS = {
    "group_reference": lambda: make_plan(
        kpis=[make_kpi("1a"), make_kpi("1b")],
        actions=[make_action(kpi_refs_label="1", kpi_refs=("1a", "1b"))]),
    "cross_theme_reference": lambda: referral_plan("17a", ("17a",)),
    "unknown_kpi_reference": lambda: make_plan(
        actions=[make_action(kpi_refs_label="20", kpi_refs=())]),
    "due_before_plan_start": lambda: make_plan(
        actions=[make_action(due_label="Mar 2016", due_date=date(2016, 3, 31))]),
    "action_outside_heading": lambda: make_plan(
        actions=[make_action("1.2.4", heading_ref="1.3")]),
    "no_kpi_reference": lambda: make_plan(actions=[make_action(kpi_refs_label="",
                                                               kpi_refs=())]),
    "kpi_not_cited": lambda: make_plan(kpis=[make_kpi("1a"), make_kpi("1b")]),
    "due_after_plan_end": lambda: make_plan(
        kpis=[make_kpi(due_label="2017", due_date=date(2017, 8, 31))]),
    "label_mismatch": lambda: label_plan(kpi=dict(target_label="4 / 7", target=4.0)),
    "duplicate_ref": lambda: make_plan(actions=[make_action(), make_action()]),
    "unknown_theme": lambda: make_plan(kpis=[make_kpi(theme=9)]),
}


def _test_function_names() -> set[str]:
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_rule_has_a_triggering_plan():
    assert set(TRIGGERING_PLANS) == {rule.code for rule in RULES}


def test_rule_codes_are_unique():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_is_described_triggered_and_tested(rule):
    assert rule.description.strip() and "\n" not in rule.description
    assert rule.severity in SEVERITIES
    found = rule.check(TRIGGERING_PLANS[rule.code]())
    assert found, f"the triggering plan for {rule.code} finds nothing"
    for finding in found:
        assert (finding.rule, finding.severity) == (rule.code, rule.severity)
        # The template says what is wrong (about the subject) and what to check.
        assert finding.message.startswith(finding.subject) and "Check" in finding.message
    named = [name for name in _test_function_names() if rule.code in name]
    assert any("does_not_fire" in name for name in named), f"{rule.code}: no test it stays quiet"
    assert any(name.endswith("fires") or "_fires_" in name for name in named), (
        f"{rule.code}: no test that it fires")
