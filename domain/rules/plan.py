"""The plan register: themes, KPIs and actions (read from files by domain/ingest/register.py).

Every field is kept as the plan document writes it (`target_label` "4 / 7", `due_label` "Mar -17")
beside the normalised field the code uses (numeric target, unit, polarity, due date). Another
council's plan is another folder of the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

from domain.rules.periods import FREQUENCY_KINDS

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
