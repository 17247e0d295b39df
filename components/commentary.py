"""A KPI's commentary on its page (issue 14): the current one for the page's period, every edit
with who made it and when, and (for contributors) the form to write one. Every text is a
component's children, so Dash writes it as text, never as HTML; line breaks are kept by CSS
(`white-space: pre-line`)."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from components import ids
from components.tables import rows_table
from domain.ingest.commentary import MAX_COMMENTARY_CHARACTERS
from domain.views.commentary import NO_COMMENTARY, CommentaryEntry


def when(iso: str) -> str:
    """"2017-04-03 09:30 UTC" from the store's ISO 8601 time."""
    return iso[:16].replace("T", " ") + " UTC" if iso else ""


def latest_block(period: str, latest: dict | None, author: tuple[str, str] | None) -> html.Div:
    """The commentary standing for `period`, or a plain "No commentary yet"."""
    if latest is None:
        return html.P([html.Strong(f"{NO_COMMENTARY} "), f"for {period}."],
                      id=ids.KPI_COMMENTARY_NONE, className="commentary-none")
    parts = [html.P(latest["text"], className="commentary-text")]
    if latest.get("next_steps"):
        parts.append(html.P([html.Strong("Next steps: "), latest["next_steps"]],
                            className="commentary-text"))
    if latest.get("by"):
        parts.append(html.P([html.Strong("By: "), latest["by"]]))
    if author:
        parts.append(html.P(f"Written by {author[0]}, {when(author[1])}",
                            className="commentary-author"))
    return html.Div([html.H3(f"Commentary for {period}"), *parts],
                    id=ids.KPI_COMMENTARY_LATEST)


def history_table(entries: Sequence[CommentaryEntry]) -> html.Div:
    if not entries:
        return html.P("No commentary has been written on this KPI.")
    rows = [(e.period, html.Span(e.text, className="commentary-text"),
             html.Span(e.next_steps, className="commentary-text"), e.by, e.written_by,
             when(e.written_at), "undone" if e.undone else "", f"batch {e.batch_id}")
            for e in entries]
    return rows_table(("Period", "Commentary", "Next steps", "By", "Written by", "When",
                       "Undone", "Batch"), rows, "Every edit of this KPI's commentary, newest "
                      "first", ids.KPI_COMMENTARY_HISTORY)


def commentary_body(period: str, latest: dict | None, author: tuple[str, str] | None,
                    entries: Sequence[CommentaryEntry]) -> list:
    return [latest_block(period, latest, author), html.H3("History"), history_table(entries)]


def commentary_form(kpi_ref: str, period: str) -> html.Div:
    """For contributors: the period (the page's, by default), the text, next steps and a date."""
    def field(field_id: str, label: str, control) -> html.Div:
        return html.Div([html.Label(label, htmlFor=field_id, className="form-label"), control],
                        className="mb-3")

    return html.Div([
        html.H3("Write the commentary"),
        dcc.Store(id=ids.KPI_COMMENTARY_REF, data=kpi_ref),
        field(ids.KPI_COMMENTARY_PERIOD, "Period (as the KPI reports it)",
              dcc.Input(id=ids.KPI_COMMENTARY_PERIOD, type="text", value=period,
                        className="form-control", maxLength=40)),
        field(ids.KPI_COMMENTARY_TEXT,
              f"Commentary (required, up to {MAX_COMMENTARY_CHARACTERS:,} characters)",
              dcc.Textarea(id=ids.KPI_COMMENTARY_TEXT, className="form-control", rows=4,
                           maxLength=MAX_COMMENTARY_CHARACTERS)),
        field(ids.KPI_COMMENTARY_NEXT_STEPS, "Next steps (optional)",
              dcc.Textarea(id=ids.KPI_COMMENTARY_NEXT_STEPS, className="form-control", rows=2,
                           maxLength=MAX_COMMENTARY_CHARACTERS)),
        field(ids.KPI_COMMENTARY_BY, "By (optional date, e.g. 30/06/2017)",
              dcc.Input(id=ids.KPI_COMMENTARY_BY, type="text", className="form-control",
                        maxLength=20)),
        html.Button("Save commentary", id=ids.KPI_COMMENTARY_SAVE, className="btn btn-primary"),
        html.Div(id=ids.KPI_COMMENTARY_RESULT, role="status", **{"aria-live": "polite"}),
    ], className="commentary-form")


def commentary_section(body: list, form: html.Div | None) -> html.Section:
    return html.Section([
        html.H2("Commentary", id=ids.KPI_COMMENTARY),
        html.Div(body, id=ids.KPI_COMMENTARY_BODY),
        form,
    ], className="kpi-commentary", **{"aria-labelledby": ids.KPI_COMMENTARY})


def saved_message(text: str, ok: bool) -> html.P:
    """Said in words, not colour alone."""
    prefix = "Saved: " if ok else "Not saved: "
    return html.P([html.Strong(prefix), text],
                  className="alert " + ("alert-success" if ok else "alert-danger"))
