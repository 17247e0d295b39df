"""A KPI's commentary on its page (issue 14): what the section shows, and saving what a
contributor typed (checked and stored as the API's and an upload's are, through
runtime.changes, so it is a batch of the signed-in person)."""

from __future__ import annotations

from components.commentary import commentary_body, saved_message
from domain.ingest.kinds import KPI_COMMENTARY
from domain.rules.failures import errors
from domain.rules.periods import PeriodError, ReportingPeriod
from domain.rules.plan import Kpi
from domain.views.commentary import commentary_period, history_entries, latest_commentary
from runtime.changes import commit_record
from runtime.context import current_dataset, current_store


def author_of(batch_id: int | None) -> tuple[str, str] | None:
    batch = current_store().batch(batch_id) if batch_id is not None else None
    return (batch.who, batch.created_at) if batch else None


def section_body(kpi: Kpi, asat: ReportingPeriod) -> tuple[str, list]:
    """The period a commentary as at `asat` is about, and the section's contents."""
    dataset = current_dataset()
    period = commentary_period(kpi, asat).label
    latest = latest_commentary(dataset, kpi, asat)
    entries = history_entries(current_store().kind_history(KPI_COMMENTARY,
                                                           {"kpi_ref": kpi.ref}))
    return period, commentary_body(period, latest, author_of(latest and latest["batch_id"]),
                                   entries)


def body_for_period(kpi_ref: str, period_text: str) -> list | None:
    """The section as at the period just written (its commentary now the latest)."""
    dataset = current_dataset()
    kpi = dataset.plan.kpi(kpi_ref)
    try:
        period = dataset.resolve_asat(period_text)
    except PeriodError:  # stored periods always read; kept for safety
        return None
    return section_body(kpi, period)[1] if kpi is not None else None


def save_commentary(kpi_ref: str, period: str | None, text: str | None,
                    next_steps: str | None, by: str | None) -> tuple:
    """(the message, the section's new contents or None to leave it)."""
    cells = {"kpi_ref": kpi_ref or "", "period": period or "", "commentary": text or "",
             "next_steps": next_steps or "", "by": by or ""}
    check, result = commit_record(KPI_COMMENTARY, cells, f"commentary on KPI {kpi_ref} (page)")
    if result is None:
        return saved_message(" ".join(f.message for f in errors(check.failures)), False), None
    if not result.committed:
        return saved_message("it says what the current commentary says.", False), None
    row = check.rows.iloc[0]
    return (saved_message(f"the commentary for {row['period']} (batch {result.batch_id}).", True),
            body_for_period(row["kpi_ref"], row["period"]))
