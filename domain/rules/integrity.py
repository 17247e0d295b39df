"""Integrity rules for the plan register: inconsistencies a performance team wants flagged.

The register is loaded as the plan document writes it; nothing here corrects it. Each rule is a
small function that reads the `Plan` and says where it found a problem (`Hit`); `Rule` turns the
hits into `Finding`s with the rule's code, severity and its one message template, so every finding
of a kind reads the same way and says what to check. The rules: docs/rules.md#integrity-rules.

`expand_kpi_refs` is the one reading of an action's "KPI Ref" cell ("6a,b", "1, 2, 3", "All"):
the register's `kpi_refs` column is written with it and the rules check against it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from domain.rules.failures import ERROR, WARNING
from domain.rules.labels import LabelError, TargetReading, parse_due_label, parse_target_label
from domain.rules.plan import Action, Kpi, Plan

# Errors and warnings mean what they mean for an uploaded file's failures; a finding may also be
# for information only.
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)  # most serious first: the order a data quality page lists

BLANKET_LABEL = "all"  # "All": the action concerns every KPI rather than citing particular ones

# --- findings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's stable code, e.g. "cross_theme_reference"
    severity: str  # "error", "warning" or "info"
    subject: str  # "action 6.1.1", "KPI 19a", "theme 3"
    field: str  # the register column concerned, e.g. "kpi_refs_label"
    value: str  # what that column holds, as written
    message: str  # what is wrong and what to check


@dataclass(frozen=True)
class Hit:
    """Where a rule found a problem; `details` fill the rest of the rule's message template."""

    subject: str
    field: str
    value: str
    details: Mapping[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    description: str  # one line, for the list of rules on the data quality page
    template: str  # the message: may use {subject}, {field}, {value} and the hit's details
    find: Callable[[Plan], Iterable[Hit]]

    def check(self, plan: Plan) -> list[Finding]:
        return [self.finding(hit) for hit in self.find(plan)]

    def finding(self, hit: Hit) -> Finding:
        message = self.template.format(subject=hit.subject, field=hit.field, value=hit.value,
                                       **hit.details)
        return Finding(rule=self.code, severity=self.severity, subject=hit.subject,
                       field=hit.field, value=hit.value, message=message)


# --- reading the KPI Ref cell ---------------------------------------------------------------------

_KPI_REF = re.compile(r"^(?P<number>\d+)(?P<letters>[a-z]*)$", re.IGNORECASE)
_LETTERS_ONLY = re.compile(r"^[a-z]+$", re.IGNORECASE)

KIND_KPI = "kpi"  # names one KPI: "4", "6a", or the "b" of "6a,b"
KIND_GROUP = "group"  # a bare number where the KPIs are lettered: "1" for 1a-1e
KIND_UNKNOWN = "unknown"  # names no KPI of the plan
KIND_ALL = "all"  # "All"


@dataclass(frozen=True)
class CitedRef:
    """One comma-separated part of a KPI Ref cell and the KPIs it stands for."""

    written: str  # as written: "6a", "b", "1"
    spelled_out: str  # "b" after "6a" is "6b"
    kind: str
    refs: tuple[str, ...]


def is_blanket_reference(label: str) -> bool:
    return label.strip().lower() == BLANKET_LABEL


def group_members(number: str, kpi_refs: Iterable[str]) -> tuple[str, ...]:
    """The lettered KPIs that share a number: "18" -> ("18a", "18b")."""
    members = []
    for ref in kpi_refs:
        match = _KPI_REF.match(ref)
        if match and match["number"] == number and match["letters"]:
            members.append(ref)
    return tuple(members)


def _resolve(written: str, spelled_out: str, kpi_refs: tuple[str, ...]) -> CitedRef:
    if spelled_out in kpi_refs:
        return CitedRef(written, spelled_out, KIND_KPI, (spelled_out,))
    match = _KPI_REF.match(spelled_out)
    members = group_members(spelled_out, kpi_refs) if match and not match["letters"] else ()
    if members:
        return CitedRef(written, spelled_out, KIND_GROUP, members)
    return CitedRef(written, spelled_out, KIND_UNKNOWN, ())


def read_kpi_refs_label(label: str, kpi_refs: Iterable[str]) -> tuple[CitedRef, ...]:
    """Each part of a KPI Ref cell: "6a,b" is 6a and 6b; "1" is the group 1a-1e; "All" is every
    KPI; a part that names no KPI of the plan is kept as unknown so a rule can report it."""
    kpi_refs = tuple(kpi_refs)
    if is_blanket_reference(label):
        return (CitedRef(label.strip(), label.strip(), KIND_ALL, kpi_refs),)
    parts = []
    number = ""  # the number a bare letter continues: the 6 of "6a,b"
    for token in (part.strip() for part in label.split(",")):
        if not token:
            continue
        match = _KPI_REF.match(token)
        if match:
            number = match["number"]
            spelled_out = token.lower()
        elif _LETTERS_ONLY.match(token) and number:
            spelled_out = number + token.lower()
        else:
            spelled_out = token
        parts.append(_resolve(token, spelled_out, kpi_refs))
    return tuple(parts)


def expand_kpi_refs(label: str, kpi_refs: Iterable[str]) -> tuple[str, ...]:
    """The KPIs of the plan a KPI Ref cell cites, in the order written, each once:
    "6a,b" -> ("6a", "6b"); "1" -> ("1a", ..., "1e"); "All" -> every KPI; "" -> ()."""
    expanded: list[str] = []
    for part in read_kpi_refs_label(label, kpi_refs):
        expanded.extend(ref for ref in part.refs if ref not in expanded)
    return tuple(expanded)


# --- small helpers the rules share ----------------------------------------------------------------

def _action_subject(action: Action) -> str:
    return f"action {action.ref}"


def _kpi_subject(kpi: Kpi) -> str:
    return f"KPI {kpi.ref}"


def _refs_text(refs: Iterable[str], empty: str = "none") -> str:
    return ", ".join(refs) or empty


def _dated_items(plan: Plan) -> Iterator[tuple[str, str, date | None]]:
    """(subject, due label, due date) for every KPI and action."""
    for kpi in plan.kpis:
        yield _kpi_subject(kpi), kpi.due_label, kpi.due_date
    for action in plan.actions:
        yield _action_subject(action), action.due_label, action.due_date


def _kpis_cited_by(actions: Iterable[Action]) -> tuple[str, ...]:
    """KPIs the actions cite by name: an "All" is not a citation of any one KPI."""
    cited: list[str] = []
    for action in actions:
        if not is_blanket_reference(action.kpi_refs_label):
            cited.extend(ref for ref in action.kpi_refs if ref not in cited)
    return tuple(cited)


# --- the rules ------------------------------------------------------------------------------------

def find_group_references(plan: Plan) -> Iterator[Hit]:
    for action in plan.actions:
        for part in read_kpi_refs_label(action.kpi_refs_label, plan.kpi_refs):
            if part.kind == KIND_GROUP:
                yield Hit(_action_subject(action), "kpi_refs_label", part.written,
                          {"members": _refs_text(part.refs)})


def find_cross_theme_references(plan: Plan) -> Iterator[Hit]:
    for action in plan.actions:
        if is_blanket_reference(action.kpi_refs_label):
            continue
        by_theme: dict[int, list[str]] = {}
        for ref in action.kpi_refs:
            kpi = plan.kpi(ref)
            if kpi is not None and kpi.theme != action.theme:
                by_theme.setdefault(kpi.theme, []).append(ref)
        own_refs = [k.ref for k in plan.kpis if k.theme == action.theme]
        for theme, refs in by_theme.items():
            yield Hit(_action_subject(action), "kpi_refs_label", action.kpi_refs_label,
                      {"action_theme": action.theme, "kpi_theme": theme,
                       "refs": _refs_text(refs), "own_refs": _refs_text(own_refs)})


def find_unknown_kpi_references(plan: Plan) -> Iterator[Hit]:
    known = set(plan.kpi_refs)
    for action in plan.actions:
        unknown_parts = [part for part in read_kpi_refs_label(action.kpi_refs_label,
                                                              plan.kpi_refs)
                         if part.kind == KIND_UNKNOWN]
        for part in unknown_parts:
            yield Hit(_action_subject(action), "kpi_refs_label", part.written)
        # A ref already reported as written in the label is not reported again from kpi_refs.
        reported = {part.spelled_out for part in unknown_parts}
        for ref in action.kpi_refs:
            if ref not in known and ref not in reported:
                yield Hit(_action_subject(action), "kpi_refs", ref)


def find_due_before_plan_start(plan: Plan) -> Iterator[Hit]:
    for subject, label, due in _dated_items(plan):
        if due is not None and due < plan.start_date:
            yield Hit(subject, "due_label", label, {"due_date": due.isoformat(),
                                                    "plan_start": plan.start_date.isoformat()})


def find_due_after_plan_end(plan: Plan) -> Iterator[Hit]:
    for subject, label, due in _dated_items(plan):
        if due is not None and due > plan.end_date:
            yield Hit(subject, "due_label", label, {"due_date": due.isoformat(),
                                                    "plan_end": plan.end_date.isoformat()})


def find_actions_outside_heading(plan: Plan) -> Iterator[Hit]:
    for action in plan.actions:
        numbered_under = action.ref.rpartition(".")[0]
        if numbered_under != action.heading_ref:
            yield Hit(_action_subject(action), "heading_ref", action.heading_ref,
                      {"numbered_under": numbered_under, "heading": action.heading})


def find_actions_without_kpi(plan: Plan) -> Iterator[Hit]:
    for action in plan.actions:
        if not action.kpi_refs_label.strip() and not action.kpi_refs:
            yield Hit(_action_subject(action), "kpi_refs_label", action.kpi_refs_label)


def find_kpis_not_cited(plan: Plan) -> Iterator[Hit]:
    cited = set(_kpis_cited_by(plan.actions))
    for kpi in plan.kpis:
        if kpi.ref not in cited:
            theme_actions = [a for a in plan.actions if a.theme == kpi.theme]
            yield Hit(_kpi_subject(kpi), "ref", kpi.ref,
                      {"theme": kpi.theme,
                       "theme_cites": _refs_text(_kpis_cited_by(theme_actions), "no KPI")})


def _read_target(kpi: Kpi) -> TargetReading | None:
    try:
        return parse_target_label(kpi.target_label)
    except LabelError:
        return None


def _target_agrees(reading: TargetReading, kpi: Kpi) -> bool:
    same_denominator = (reading.denominator is None and kpi.denominator is None) or (
        reading.denominator is not None and kpi.denominator is not None
        and math.isclose(reading.denominator, kpi.denominator))
    return (math.isclose(reading.target, kpi.target)
            and reading.is_percent == (kpi.unit == "percent") and same_denominator)


def _kpi_target_mismatch(kpi: Kpi) -> Hit | None:
    reading = _read_target(kpi)
    if reading is not None and _target_agrees(reading, kpi):
        return None
    denominator = f"{kpi.denominator:g}" if kpi.denominator is not None else "blank"
    return Hit(_kpi_subject(kpi), "target_label", kpi.target_label,
               {"reading": reading.describe() if reading else "nothing that can be read",
                "register": f"target {kpi.target:g}, unit {kpi.unit}, denominator {denominator}"})


def _due_mismatch(subject: str, label: str, due: date | None) -> Hit | None:
    try:
        reading = parse_due_label(label)
    except LabelError:
        reading_text = "nothing that can be read"
    else:
        if reading == due:
            return None
        reading_text = reading.isoformat() if reading else "no date"
    return Hit(subject, "due_label", label,
               {"reading": reading_text,
                "register": f"due_date {due.isoformat() if due else 'blank'}"})


def _kpi_refs_mismatch(action: Action, kpi_refs: tuple[str, ...]) -> Hit | None:
    expansion = expand_kpi_refs(action.kpi_refs_label, kpi_refs)
    # Order and repeats do not change what an action cites, so only the set is compared.
    if set(expansion) == set(action.kpi_refs):
        return None
    return Hit(_action_subject(action), "kpi_refs_label", action.kpi_refs_label,
               {"reading": _refs_text(expansion, "no KPI"),
                "register": f"kpi_refs {_refs_text(action.kpi_refs, 'blank')}"})


def find_label_mismatches(plan: Plan) -> Iterator[Hit]:
    candidates: list[Hit | None] = []
    for kpi in plan.kpis:
        candidates.append(_kpi_target_mismatch(kpi))
        candidates.append(_due_mismatch(_kpi_subject(kpi), kpi.due_label, kpi.due_date))
    for action in plan.actions:
        candidates.append(_due_mismatch(_action_subject(action), action.due_label,
                                        action.due_date))
        candidates.append(_kpi_refs_mismatch(action, plan.kpi_refs))
    yield from (hit for hit in candidates if hit is not None)


def _repeated(keys: Iterable) -> dict:
    return {key: count for key, count in Counter(keys).items() if count > 1}


def find_duplicate_refs(plan: Plan) -> Iterator[Hit]:
    registers = (
        ("theme", "themes.csv", "theme", [t.number for t in plan.themes]),
        ("KPI", "kpis.csv", "ref", [k.ref for k in plan.kpis]),
        ("action", "actions.csv", "ref", [a.ref for a in plan.actions]),
    )
    for noun, register_file, column, keys in registers:
        for key, count in _repeated(keys).items():
            yield Hit(f"{noun} {key}", column, str(key),
                      {"count": count, "register_file": register_file})


def find_unknown_themes(plan: Plan) -> Iterator[Hit]:
    numbers = [t.number for t in plan.themes]
    known = _refs_text(str(n) for n in numbers)
    items = [(_kpi_subject(k), k.theme) for k in plan.kpis]
    items += [(_action_subject(a), a.theme) for a in plan.actions]
    for subject, theme in items:
        if theme not in numbers:
            yield Hit(subject, "theme", str(theme), {"known": known})


RULES: tuple[Rule, ...] = (
    Rule("group_reference", INFO,
         "An action cites a bare number where the KPIs are a lettered group; it is read as the "
         "whole group.",
         "{subject} cites KPI '{value}', but the plan has no KPI {value}, only the group "
         "{members}; it is read as the whole group. Check which of them the action means and "
         "write those in the KPI Ref cell.",
         find_group_references),
    Rule("cross_theme_reference", WARNING,
         "An action cites a KPI of another theme ('All' excepted).",
         "{subject} (theme {action_theme}) cites {refs} of theme {kpi_theme} in '{value}'. "
         "Check the KPI Ref cell: theme {action_theme}'s own KPIs are {own_refs}.",
         find_cross_theme_references),
    Rule("unknown_kpi_reference", ERROR,
         "An action cites a KPI the plan does not have.",
         "{subject} cites KPI '{value}' in {field}, but the plan has no such KPI, so nothing "
         "measures it. Check the ref against kpis.csv.",
         find_unknown_kpi_references),
    Rule("due_before_plan_start", WARNING,
         "An action or KPI is due before the plan starts.",
         "{subject} is due '{value}' ({due_date}), before the plan starts on {plan_start}. "
         "Check the due date: it may be a slip for a later year.",
         find_due_before_plan_start),
    Rule("action_outside_heading", WARNING,
         "An action's number does not belong to the heading it sits under.",
         "{subject} is numbered under {numbered_under} but sits under heading {value} "
         "('{heading}'). Check whether its number or its heading is right.",
         find_actions_outside_heading),
    Rule("no_kpi_reference", INFO,
         "An action cites no KPI.",
         "{subject} cites no KPI, so only its progress reports show how it is going. Check "
         "whether a KPI measures it.",
         find_actions_without_kpi),
    Rule("kpi_not_cited", WARNING,
         "A KPI is cited by no action ('All' does not count).",
         "{subject} is cited by no action (other than those citing 'All'); theme {theme}'s "
         "actions cite {theme_cites}. Check whether an action's KPI Ref cell should name it.",
         find_kpis_not_cited),
    Rule("due_after_plan_end", INFO,
         "An action or KPI is due after the plan ends.",
         "{subject} is due '{value}' ({due_date}), after the plan ends on {plan_end}. Check "
         "that it will still be reported on once the plan closes.",
         find_due_after_plan_end),
    Rule("label_mismatch", ERROR,
         "A label as written and its normalised field disagree.",
         "{subject}: {field} '{value}' reads as {reading}, but the register has {register}. "
         "Check which one the plan document means and correct the other.",
         find_label_mismatches),
    Rule("duplicate_ref", ERROR,
         "Two themes, KPIs or actions share a ref.",
         "{subject} appears {count} times in {register_file}. Check for a repeated row or a "
         "mistyped ref: returns and progress reports need each ref to name one row.",
         find_duplicate_refs),
    Rule("unknown_theme", ERROR,
         "A KPI or action belongs to a theme the plan does not have.",
         "{subject} belongs to theme {value}, which is not in themes.csv (themes {known}). "
         "Check the theme number.",
         find_unknown_themes),
)


def rule_for(code: str) -> Rule:
    try:
        return next(rule for rule in RULES if rule.code == code)
    except StopIteration:
        raise KeyError(f"no integrity rule has the code '{code}'") from None


def check_plan(plan: Plan) -> list[Finding]:
    """Every rule's findings, rule by rule in the order of `RULES`."""
    return [finding for rule in RULES for finding in rule.check(plan)]


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """Findings as a table, most serious first (errors, then warnings, then information)."""
    columns = [f.name for f in dataclasses.fields(Finding)]
    ordered = sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
    return pd.DataFrame([[getattr(f, c) for c in columns] for f in ordered], columns=columns)
