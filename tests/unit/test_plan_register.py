"""The embedded plan register (data/plan) against the plan document it transcribes.

The document's KPI table and action tables are parsed here, independently of the register, and
every field a person would check by eye is compared as written: refs, measures, officers,
frequencies, targets, due labels, KPI Ref cells and leads.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from domain.rules.integrity import expand_kpi_refs
from domain.ingest.register import load_plan

PLAN_DIR = Path(__file__).parents[2] / "data" / "plan"
PLAN_DOCUMENT = Path(__file__).parents[3] / "shared" / "seeds" / "000_eaf3ddbd280f05be.txt"

ACTIONS_PER_THEME = {1: 15, 2: 9, 3: 11, 4: 7, 5: 7, 6: 9}

_THEME_LINE = re.compile(r"^Theme (?P<number>\d): (?P<title>.+?)\s*$")
_HEADING_LINE = re.compile(r"^(?P<ref>\d+\.\d+) (?P<title>[^\t]+?):?\t*$")
_ACTION_LINE = re.compile(r"^(?P<ref>\d+\.\d+\.\d+)[ \t]+(?P<rest>.*)$")
_KPI_LINE = re.compile(r"^(?P<ref>\d+[a-z]?)\t(?P<measure>[^\t]+)\t(?P<officer>[^\t]+)\t"
                       r"(?P<frequency>quarterly|6-monthly|annual)\t(?P<target>[^\t]+)\t"
                       r"(?P<due>[^\t]+)$")
_KPI_SECTION = "Key Performance Indicators"
# The document writes two bullet lists as HTML; the register writes them as plain text.
_LIST_MARKUP = re.compile(r"<ul[^>]*>|</ul>|•|;")


# --- reading the plan document --------------------------------------------------------------------

def _split_document(text: str) -> tuple[list[str], list[str]]:
    lines = text.splitlines()
    start_of_kpis = next(i for i, line in enumerate(lines) if line.strip() == _KPI_SECTION)
    return lines[:start_of_kpis], lines[start_of_kpis:]


def document_actions(text: str) -> list[dict]:
    """Each action line of the document with the theme and heading it sits under."""
    actions, theme, heading = [], None, (None, None)
    for line in _split_document(text)[0]:
        if match := _THEME_LINE.match(line):
            theme = int(match["number"])
        elif match := _HEADING_LINE.match(line):
            heading = (match["ref"], match["title"].strip())
        elif match := _ACTION_LINE.match(line):
            cells = match["rest"].split("\t")
            kpi_cell, due, lead = (cell.strip() for cell in cells[-3:])
            actions.append({"theme": theme, "heading_ref": heading[0], "heading": heading[1],
                            "ref": match["ref"], "description": " ".join(cells[:-3]),
                            "kpi_cell": kpi_cell, "due": due, "lead": lead})
    return actions


def document_themes(text: str) -> list[tuple[int, str]]:
    return [(int(m["number"]), m["title"]) for m in map(_THEME_LINE.match,
                                                        _split_document(text)[0]) if m]


def document_kpis(text: str) -> list[dict]:
    kpis, theme = [], None
    for line in _split_document(text)[1]:
        if match := _THEME_LINE.match(line):
            theme = int(match["number"])
        elif match := _KPI_LINE.match(line):
            kpis.append({"theme": theme, **match.groupdict()})
    return kpis


def comparable_text(description: str) -> str:
    return " ".join(_LIST_MARKUP.sub(" ", description).split())


# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def document() -> str:
    if not PLAN_DOCUMENT.exists():
        pytest.skip(reason=f"the shared plan document is not beside the checkout ({PLAN_DOCUMENT} is "
                    "missing), so the register cannot be compared with it")
    return PLAN_DOCUMENT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def loaded():
    return load_plan(PLAN_DIR)


@pytest.fixture(scope="module")
def plan(loaded):
    return loaded[0]


@pytest.fixture(scope="module")
def findings(loaded):
    return loaded[1]


def subjects(findings, code: str) -> set[str]:
    return {f.subject for f in findings if f.rule == code}


# --- the register's shape -------------------------------------------------------------------------

def test_the_register_holds_the_whole_plan(plan):
    assert (len(plan.themes), len(plan.actions), len(plan.kpis)) == (6, 58, 34)


def test_actions_per_theme(plan):
    assert dict(sorted(Counter(a.theme for a in plan.actions).items())) == ACTIONS_PER_THEME


def test_plan_dates(plan):
    assert (plan.start_date, plan.end_date) == (date(2016, 4, 1), date(2017, 3, 31))


# --- the register against the document ------------------------------------------------------------

def test_the_document_parses_into_the_expected_counts(document):
    actions = document_actions(document)
    assert len(actions) == 58 and len(document_kpis(document)) == 34
    assert dict(Counter(a["theme"] for a in actions)) == ACTIONS_PER_THEME


def test_themes_match_the_document(plan, document):
    assert [(t.number, t.title) for t in plan.themes] == document_themes(document)


def test_kpis_match_the_document_as_written(plan, document):
    written = [(k["ref"], k["theme"], k["measure"], k["officer"], k["frequency"], k["target"],
                k["due"]) for k in document_kpis(document)]
    register = [(k.ref, k.theme, k.measure, k.responsible_officer, k.frequency, k.target_label,
                 k.due_label) for k in plan.kpis]
    assert register == written


def test_actions_match_the_document_as_written(plan, document):
    written = [(a["ref"], a["theme"], a["heading_ref"], a["heading"], a["kpi_cell"], a["due"],
                a["lead"]) for a in document_actions(document)]
    # The document runs two leads together; the register separates them with "; ".
    register = [(a.ref, a.theme, a.heading_ref, a.heading, a.kpi_refs_label, a.due_label,
                 " ".join(a.leads)) for a in plan.actions]
    assert register == written


def test_action_descriptions_match_the_document(plan, document):
    written = [comparable_text(a["description"]) for a in document_actions(document)]
    assert [comparable_text(a.description) for a in plan.actions] == written
    assert not any("<" in a.description or "•" in a.description for a in plan.actions)


# --- normalised fields ----------------------------------------------------------------------------

def test_kpi_refs_are_the_expansion_of_the_kpi_ref_cell(plan):
    for action in plan.actions:
        assert action.kpi_refs == expand_kpi_refs(action.kpi_refs_label, plan.kpi_refs), action.ref


@pytest.mark.parametrize("ref, expected", [
    ("1.1.1", ("1a", "1b", "1c", "1d", "1e")),
    ("1.4.2", ("2a", "2b", "3a", "3b")),
    ("2.2.1", ("6a", "6b")),
    ("3.1.2", ("9a", "9b")),
    ("5.1.1", ("18a", "18b")),
    ("6.1.1", ("17a", "17b", "17c")),
    ("1.5.1", ("4",)),
    ("2.4.1", ()),
])
def test_kpi_refs_of_some_actions(plan, ref, expected):
    assert plan.action(ref).kpi_refs == expected


def test_all_cites_every_kpi(plan):
    assert plan.action("4.2.1").kpi_refs == plan.kpi_refs


def test_action_due_dates(plan):
    assert plan.action("1.1.1").due_date is None  # "Report quarterly"
    assert plan.action("4.2.2").due_date == date(2016, 3, 31)
    assert plan.action("6.1.5").due_date == date(2017, 12, 31)


def test_two_leads_are_two_leads(plan):
    assert plan.action("1.2.1").leads == ("Head of Safeguarding and Area Services",
                                          "Head of Service Children in Care & Care Leavers")
    assert plan.action("3.4.1").leads == ("Youth Offending Team Manager",
                                          "Head of Service Children in Care & Care Leavers")


# --- what the integrity rules find in the real plan -----------------------------------------------

def test_cross_theme_references_are_found(findings):
    assert {"action 6.1.1", "action 6.1.2", "action 6.1.4", "action 5.2.3"} <= subjects(
        findings, "cross_theme_reference")


def test_actions_citing_all_are_not_cross_theme(findings):
    assert not {"action 4.2.1", "action 4.2.2"} & subjects(findings, "cross_theme_reference")


def test_due_before_plan_start_is_found(findings):
    assert subjects(findings, "due_before_plan_start") == {"action 4.2.2"}


def test_action_outside_heading_is_found(findings):
    assert subjects(findings, "action_outside_heading") == {"action 5.2.4"}


def test_group_references_to_1_and_18_are_found(findings):
    cited = {f.value for f in findings if f.rule == "group_reference"}
    assert {"1", "18"} <= cited


def test_the_referral_kpis_are_not_cited(findings):
    assert subjects(findings, "kpi_not_cited") == {"KPI 19a", "KPI 19b", "KPI 19c"}


@pytest.mark.parametrize("code", ["label_mismatch", "duplicate_ref", "unknown_theme",
                                  "unknown_kpi_reference"])
def test_the_register_is_free_of(findings, code):
    assert [f.message for f in findings if f.rule == code] == []
