"""The plan register: themes, KPIs and actions (read from files by domain/ingest/register.py).

Every field is kept as the plan document writes it (`target_label` "4 / 7", `due_label` "Mar -17")
beside the normalised field the code uses (numeric target, unit, polarity, due date). Another
council's plan is another folder of the same files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

UNITS = ("percent", "children", "homes", "caseload")
POLARITIES = ("higher", "lower")
DEFAULT_TOLERANCE = 0.05
# Arithmetic on binary floats leaves noise far below any figure a person reads (the mean of 15.4,
# 13.7, 12.2 and 9.7 is 12.749999999999998): it is cleared at this many places before rounding.
_NOISE_PLACES = 9


def round_half_up(value: float, places: int = 1) -> Decimal:
    """`value` rounded as people round on paper, halves away from zero: 12.75 -> 12.8 (Python's
    round() and f"{:.1f}" give 12.7, because 12.75 is stored as 12.7499...). The float is read
    from its shortest repr, so a typed 2.675 is the decimal 2.675, not 2.67499999..."""
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(repr(float(value)))
        if not exact.is_finite():
            return exact
        cleared = exact.quantize(Decimal(1).scaleb(-_NOISE_PLACES), rounding=ROUND_HALF_EVEN)
        rounded = cleared.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_number(value: float, places: int = 1, grouping: bool = True) -> str:
    """A figure for display or export with `places` decimals, rounded half up: `1,234.6`.
    Every figure the product shows goes through here (or `Kpi.format_value`)."""
    rounded = round_half_up(value, places)
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"


@dataclass(frozen=True)
class Theme:
    number: int
    title: str
    aim: str
    outcome: str


@dataclass(frozen=True)
class Kpi:
    ref: str
    theme: int
    measure: str
    responsible_officer: str
    frequency: str  # "quarterly", "6-monthly" or "annual", as the plan writes it
    target_label: str
    target: float
    unit: str
    denominator: float | None  # KPI 16: homes out of 7
    polarity: str  # "higher" or "lower" is better
    due_label: str
    due_date: date
    tolerance: float = DEFAULT_TOLERANCE  # fraction of the target that still counts as AMBER
    note: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == "higher"

    def meets(self, value: float) -> bool:
        """Exactly on target meets it."""
        return value >= self.target if self.higher_is_better else value <= self.target

    def format_value(self, value: float | None) -> str:
        """A value as a person reads it: `23.1%`, `28.0%`, `439`, `4 / 7`, `62.5`.

        Rates keep one decimal place so a column of them lines up; counts are whole numbers
        unless a return gave a fraction.
        """
        if value is None:
            return "no data"
        number = format_number(value, 1)
        if self.unit in ("children", "homes") and float(value).is_integer():
            number = format_number(value, 0)
        if self.unit == "percent":
            return f"{number}%"
        if self.denominator:
            return f"{number} / {self.denominator:g}"
        return number

    @property
    def unit_label(self) -> str:
        return {
            "percent": "%",
            "children": "children",
            "homes": f"homes of {self.denominator:g}" if self.denominator else "homes",
            "caseload": "cases per worker",
        }[self.unit]


@dataclass(frozen=True)
class Action:
    ref: str
    theme: int
    heading_ref: str
    heading: str
    description: str
    kpi_refs_label: str  # as written: "6a,b", "17a,b,c", "1, 2, 3", "All", ""
    kpi_refs: tuple[str, ...]  # expanded: ("6a", "6b")
    due_label: str  # as written: "Dec 2016", "Report quarterly"
    due_date: date | None  # end of the due month; None when the plan gives no date
    leads: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    title: str
    authority: str
    version: str
    start_date: date
    end_date: date
    baseline_date: date  # trajectories start from the latest value on or before this date
    themes: tuple[Theme, ...]
    kpis: tuple[Kpi, ...]
    actions: tuple[Action, ...]

    def kpi(self, ref: str) -> Kpi | None:
        """The KPI with this ref in any case (`17A` is 17a, as uploads read it)."""
        key = str(ref).strip().casefold()
        return next((k for k in self.kpis if k.ref.casefold() == key), None)

    def theme(self, number: int) -> Theme | None:
        return next((t for t in self.themes if t.number == number), None)

    def action(self, ref: str) -> Action | None:
        return next((a for a in self.actions if a.ref == ref), None)

    def actions_citing(self, kpi_ref: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if kpi_ref in a.kpi_refs)

    @property
    def kpi_refs(self) -> tuple[str, ...]:
        return tuple(k.ref for k in self.kpis)

    @property
    def officers(self) -> tuple[str, ...]:
        return tuple(sorted({k.responsible_officer for k in self.kpis}))

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(sorted({lead for a in self.actions for lead in a.leads}))

    @property
    def identity(self) -> str:
        """What makes two imports the same plan: its title, authority and years, in any case
        and spacing. An import with the same identity is a revised version of that plan."""
        def words(text: str) -> str:
            return " ".join(text.split()).casefold()
        return "|".join((words(self.title), words(self.authority), self.start_date.isoformat(),
                         self.end_date.isoformat()))

    @property
    def years(self) -> str:
        """"2016-17": the financial years the plan spans, as a person writes them."""
        first, last = self.start_date.year, self.end_date.year
        return str(first) if first == last else f"{first}-{str(last)[-2:]}"


def with_refs_of(plan: Plan, others: Sequence[Plan]) -> Plan:
    """The plan with the KPIs and actions of other plans that it does not have, added after its
    own: what a returns upload is checked against, since returns belong to a KPI ref (and
    progress to an action ref), not to a plan. The plan's own definitions win."""
    kpis, actions = list(plan.kpis), list(plan.actions)
    kpi_refs, action_refs = set(plan.kpi_refs), {a.ref for a in plan.actions}
    for other in others:
        kpis += [k for k in other.kpis if k.ref not in kpi_refs]
        kpi_refs |= {k.ref for k in other.kpis}
        actions += [a for a in other.actions if a.ref not in action_refs]
        action_refs |= {a.ref for a in other.actions}
    return replace(plan, kpis=tuple(kpis), actions=tuple(actions))


# --- the register as data (issue 13): what a plan import reads and a plan download writes ------

# The register's sheets: a workbook's sheet names, or a folder's (or zip's) CSV file names.
REQUIRED_SHEETS = ("plan", "themes", "kpis", "actions")
OPTIONAL_SHEETS = ("rag_scheme", "published_measures")
REGISTER_SHEETS = REQUIRED_SHEETS + OPTIONAL_SHEETS


@dataclass(frozen=True)
class RegisterTable:
    """One sheet of the register as written: its columns and its rows, every cell as text.
    `row_numbers` says where each row was in its file (for failure rows); it is not content."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...] = field(default=(), compare=False)

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def row_number(self, index: int) -> int:
        """The spreadsheet row of the `index`-th row (the header is row 1 when not known)."""
        return self.row_numbers[index] if index < len(self.row_numbers) else index + 2


# Sheet name -> table. Stored whole as one version of a plan; a plan download writes it back.
Register = Mapping[str, RegisterTable]


@dataclass(frozen=True)
class PlanVersion:
    """One imported version of a plan: its register read into a `Plan`, and when it took
    effect. A period's status uses the version in force at the period's end (issue 13)."""

    plan: Plan
    in_force_from: date | None  # None: in force from the start (the plan's first version)
    imported_at: str = ""  # ISO date and time (UTC)
    imported_by: str = ""


_YEAR = re.compile(r"(?<!\d)(19|20)(\d\d)(?:([-/\u2013] ?|\s*-\s*)(\d\d(?:\d\d)?))?(?!\d)")


def years_moved_on(text: str, years: int = 1) -> str:
    """A title with its years moved on: "2016 - 2017" -> "2017 - 2018", "2016-17" -> "2017-18"."""
    def moved(match: re.Match) -> str:
        first = int(match[1] + match[2]) + years
        if match[4] is None:
            return str(first)
        width = len(match[4])
        last = (int(match[4]) + years) % 10 ** width
        return f"{first}{match[3]}{last:0{width}d}"
    return _YEAR.sub(moved, text)
