"""The plan register and the embedded data files, read from a folder into a `Plan` and a
`Dataset` (the file reading that domain/rules may not do)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from domain.ingest.progress import read_progress
from domain.ingest.returns import read_returns
from domain.rules.dataset import Dataset
from domain.rules.integrity import check_plan
from domain.rules.periods import FREQUENCY_KINDS
from domain.rules.plan import DEFAULT_TOLERANCE, Action, Kpi, Plan, Theme


class PlanFileError(ValueError):
    """A plan register file that cannot be read at all: names the file, row and column."""


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise PlanFileError(f"{path.name}: the plan register needs this file in {path.parent}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in
                csv.DictReader(handle)]


def _parse(path: Path, row_number: int, column: str, text: str, convert):
    try:
        return convert(text)
    except (ValueError, TypeError) as error:
        raise PlanFileError(f"{path.name} row {row_number}, column {column}: cannot read "
                            f"'{text}' ({error})") from None


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _optional_float(text: str) -> float | None:
    return float(text) if text else None


def _split(text: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


def load_register(folder: Path | str) -> Plan:
    """Read the register files into a `Plan`; raise `PlanFileError` when a file is unreadable."""
    folder = Path(folder)
    meta = {row["field"]: row["value"] for row in _rows(folder / "plan.csv")}
    default_tolerance = float(meta.get("default_tolerance") or DEFAULT_TOLERANCE)

    themes_path = folder / "themes.csv"
    themes = tuple(
        Theme(number=_parse(themes_path, n, "theme", r["theme"], int), title=r["title"],
              aim=r.get("aim", ""), outcome=r["outcome"])
        for n, r in enumerate(_rows(themes_path), start=2))

    kpis_path = folder / "kpis.csv"
    kpis = []
    for n, r in enumerate(_rows(kpis_path), start=2):
        def cell(column, convert, _r=r, _n=n):
            return _parse(kpis_path, _n, column, _r[column], convert)
        if r["frequency"] not in FREQUENCY_KINDS:
            raise PlanFileError(f"kpis.csv row {n}, column frequency: '{r['frequency']}' is not "
                                f"one of {', '.join(FREQUENCY_KINDS)}")
        kpis.append(Kpi(
            ref=r["ref"], theme=cell("theme", int), measure=r["measure"],
            responsible_officer=r["responsible_officer"], frequency=r["frequency"],
            target_label=r["target_label"], target=cell("target", float), unit=r["unit"],
            denominator=cell("denominator", _optional_float), polarity=r["polarity"],
            due_label=r["due_label"], due_date=cell("due_date", date.fromisoformat),
            tolerance=cell("tolerance", _optional_float) or default_tolerance,
            note=r.get("note", "")))

    actions_path = folder / "actions.csv"
    actions = tuple(
        Action(ref=r["ref"], theme=_parse(actions_path, n, "theme", r["theme"], int),
               heading_ref=r["heading_ref"], heading=r["heading"],
               description=r["description"], kpi_refs_label=r["kpi_refs_label"],
               kpi_refs=_split(r["kpi_refs"], " "), due_label=r["due_label"],
               due_date=_parse(actions_path, n, "due_date", r["due_date"], _optional_date),
               leads=_split(r["lead"], ";"))
        for n, r in enumerate(_rows(actions_path), start=2))

    return Plan(
        title=meta.get("title", ""), authority=meta.get("authority", ""),
        version=meta.get("version", ""),
        start_date=date.fromisoformat(meta["start_date"]),
        end_date=date.fromisoformat(meta["end_date"]),
        baseline_date=date.fromisoformat(meta["baseline_date"]),
        themes=themes, kpis=tuple(kpis), actions=actions)


def load_plan(folder: Path | str):
    """The plan and its integrity findings: `(Plan, list[Finding])`."""
    plan = load_register(folder)
    return plan, check_plan(plan)


def load_dataset(plan_dir: Path, returns_path: Path, progress_path: Path,
                 is_sample: bool) -> Dataset:
    """Load the plan register and the data files, keeping only rows that pass validation.

    Rows that fail are reported in `load_failures` (shown on the data quality page) rather
    than stopping the app: the embedded files are validated by the tests, so this is a guard.
    """
    plan, findings = load_plan(plan_dir)
    returns = read_returns(returns_path, plan)
    progress = read_progress(progress_path, plan)
    return Dataset.build(plan, findings, returns.table, progress.table, is_sample,
                         returns.failures + progress.failures)
