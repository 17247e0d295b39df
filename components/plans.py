"""Layout builders for `/plans` (issue 13): the stored plans, a plan file's validation report and
preview, and the plans' history. Everything a file brings is passed to Dash as a string, so it is
shown as text, never as markup."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from dash import html

from components import ids

from components.tables import data_table, rows_table
from components.upload import message
from domain.ingest.plan_import import (CSV_ZIP, WORKBOOK, ItemChange, PlanImportCheck,
                                       PlanPreview)
from domain.rules.failures import errors, failures_frame, warnings
from domain.store.repository import Batch

REPORT_COLUMNS = ["sheet", "row", "column", "value", "code", "message"]
_FILE_TYPES = {WORKBOOK: "an Excel workbook", CSV_ZIP: "a zip of CSV files"}
_LIMIT = 200


def plan_links(plan_id: int, years: str) -> list:
    """Open the plan on the overview, download it, or start next year's from it."""
    query = urlencode({"plan": plan_id})
    return [
        # A full load (not dcc.Link): the header's plan switcher is drawn with the page.
        html.A("Open", href=f"/?{query}",
               **{"aria-label": f"Open: the {years} plan on the overview"}),
        " ",
        html.A("Download this plan", href=f"/export/plan.xlsx?{query}", download="",
               **{"aria-label": f"Download this plan: the {years} plan as a workbook"}),
        " ",
        html.A("Start next year's plan", href=f"/export/plan-next-year.xlsx?{query}",
               download="", **{"aria-label": f"Start next year's plan from the {years} plan "
                                             "(a workbook to edit and import)"}),
    ]


def plans_table(entries) -> html.Div:
    """Every stored plan, with its versions, who imported it, and the admin's buttons."""
    header = ["plan", "title", "years", "authority", "versions", "imported", "current",
              "actions"]
    rows = []
    for entry in entries:
        plan = entry.plan
        label = f"plan {entry.plan_id} ({plan.years})"
        make_current = (html.Strong("Current plan") if entry.is_current else
                        html.Button("Make current",
                                    id={"type": ids.PLAN_CURRENT, "index": entry.plan_id},
                                    className="btn btn-sm btn-outline-primary",
                                    **{"aria-label": f"Make current: {label}"}))
        rows.append([str(entry.plan_id), plan.title, plan.years, plan.authority,
                     str(len(entry.versions)),
                     f"{entry.imported_at[:10]} by {entry.imported_by}",
                     "yes" if entry.is_current else "no",
                     html.Div([make_current, *plan_links(entry.plan_id, plan.years)],
                              className="d-flex flex-wrap gap-2 align-items-center")])
    return rows_table(header, rows, "Every plan the dashboard holds", ids.PLANS_TABLE)


# --- the report ----------------------------------------------------------------------------------

def _failures_table(failures, caption: str, table_id: str) -> html.Div:
    return data_table(failures_frame(failures, with_sheet=True)[REPORT_COLUMNS], caption,
                      table_id)


def report(check: PlanImportCheck) -> html.Div:
    n_errors, n_warnings = len(errors(check.failures)), len(warnings(check.failures))
    what = (f"Read as {_FILE_TYPES[check.file_type]}." if check.file_type
            else "The file was not read as a plan.")
    if check.plan is not None:
        what += f" Plan: {check.plan.title} ({check.plan.years})."
    verdict = (f"{n_errors} errors: nothing can be imported until they are fixed."
               if n_errors else "No errors: the plan can be imported.")
    blocks = [
        html.H2("Validation report"),
        html.P([html.Strong("File: "), check.file_name], id=ids.PLANS_FILE_NAME),
        html.P(what, id=ids.PLANS_KIND),
        html.P(f"{verdict} {n_warnings} warnings.", id=ids.PLANS_VERDICT,
               className="upload-verdict " + ("has-errors" if n_errors else "no-errors")),
    ]
    if n_errors:
        blocks += [html.H3("Errors (these block the import)"),
                   _failures_table(errors(check.failures), "Errors", ids.PLANS_ERRORS)]
    if n_warnings:
        blocks += [html.H3("Warnings (check these; they do not block)"),
                   _failures_table(warnings(check.failures), "Warnings", ids.PLANS_WARNINGS)]
    return html.Div(blocks, id=ids.PLANS_REPORT_BODY)


# --- the preview ---------------------------------------------------------------------------------

def _changes_rows(items: Sequence[ItemChange]) -> list[list[str]]:
    return [[item.what, item.ref, item.name,
             "; ".join(f"{field}: {old or '(blank)'} \u2192 {new or '(blank)'}"
                       for field, old, new in item.fields)]
            for item in items[:_LIMIT]]


def preview(check: PlanImportCheck) -> html.Div:
    shown: PlanPreview | None = check.preview
    if shown is None or check.plan is None:
        return html.Div(id=ids.PLANS_PREVIEW_BODY)
    blocks = [html.H2("Preview")]
    if check.identical_to is not None:
        blocks.append(html.P(f"This plan is identical to plan {check.identical_to}'s latest "
                             "version: importing it changes nothing.", id=ids.PLANS_IDENTICAL))
    elif shown.is_revision:
        blocks.append(html.P(
            f"A revised version of plan {check.revises} ({check.plan.years}), in force from "
            f"{check.in_force_from:%d %B %Y}. The earlier version is kept: a period ending "
            "before then keeps the status its targets gave it.", id=ids.PLANS_REVISION))
    else:
        blocks.append(html.P("A new plan. It is not the current plan until an admin makes it "
                             "current.", id=ids.PLANS_NEW))
    if shown.compared_with is not None:
        against = shown.compared_with.plan
        role = "the plan it revises" if shown.is_revision else "the current plan"
        blocks.append(html.P(f"Compared with {role}: {against.title} ({against.years}).",
                             id=ids.PLANS_COMPARED_WITH))
    counts = (f"{len(shown.of('added'))} added, {len(shown.of('removed'))} removed, "
              f"{len(shown.of('changed'))} changed, {shown.unchanged} unchanged "
              "(themes, KPIs and actions).")
    blocks.append(html.P(counts, id=ids.PLANS_PREVIEW_COUNTS))
    if shown.targets:
        blocks += [html.H3("Targets (old \u2192 new)"), rows_table(
            ("KPI", "measure", "target: old \u2192 new"),
            [(t.ref, t.measure, f"{t.old} \u2192 {t.new}") for t in shown.targets],
            "Targets this plan changes", ids.PLANS_TARGETS)]
    for change, title, table_id in (("added", "Added", ids.PLANS_ADDED),
                                    ("removed", "Removed", ids.PLANS_REMOVED),
                                    ("changed", "Changed", ids.PLANS_CHANGED)):
        items = shown.of(change)
        if items:
            blocks += [html.H3(f"{title} ({len(items)})"), rows_table(
                ("what", "ref", "name", "changes (old \u2192 new)"), _changes_rows(items),
                f"Themes, KPIs and actions {change}", table_id)]
    return html.Div(blocks, id=ids.PLANS_PREVIEW_BODY)


# --- the history ---------------------------------------------------------------------------------

def history_table(batches: Sequence[Batch]) -> html.Div:
    header = ["batch", "when (UTC)", "who", "what", "file", "status", "actions"]
    rows = []
    for batch in batches:
        label = f"batch {batch.id} ({batch.kind}: {batch.file_name})"
        button = (html.Button("Undo", id={"type": ids.PLAN_BATCH_UNDO, "index": batch.id},
                              className="btn btn-sm btn-outline-danger",
                              **{"aria-label": f"Undo {label}"})
                  if batch.is_active else
                  html.Button("Redo", id={"type": ids.PLAN_BATCH_REDO, "index": batch.id},
                              className="btn btn-sm btn-outline-primary",
                              **{"aria-label": f"Redo {label}"}))
        rows.append([str(batch.id), batch.created_at.replace("T", " ")[:19], batch.who,
                     batch.kind, batch.file_name, batch.status, button])
    return rows_table(header, rows, "Every plan import, revision and change of the current "
                      "plan, newest first", ids.PLANS_HISTORY_TABLE)


__all__ = ["history_table", "message", "plan_links", "plans_table", "preview", "report"]
