"""The board pack: cover, summary, and one section per theme with tiles, charts and actions.
Static charts (server-made SVG) so the browser's "Save as PDF" prints every one of them."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from components import ids
from components.controls import asat_notices
from components.downloads import download_links
from components.exceptions import exception_section, revised_flag
from components.signoff import signoff_section
from components.outcomes import outcomes_table
from components.static_page import css_string, static_page
from components.status import status_badge
from components.tables import rows_table
from components.tiles import kpi_tile
from components.trend_chart import trend_chart
from domain.rules.rag import STATUS_ORDER
from domain.views.report import ReportView, ThemeSection


def _cover(view: ReportView, asat_control=None, newer_href: str | None = None) -> html.Section:
    return html.Section([
        html.P(view.authority, className="report-authority"),
        html.H1(view.title, id=ids.REPORT_TITLE),
        html.P(["Board pack as at ", html.Strong(view.asat.label, id=ids.REPORT_ASAT)],
               className="report-asat"),
        html.P(f"Prepared {view.made_on:%d %B %Y}", id=ids.REPORT_DATE),
        html.P(view.state, id=ids.REPORT_STATE, className="report-state"),
        html.P([html.Strong("Sample data. "), "The values are synthetic sample returns, not real "
                "performance figures."], className="report-sample", id=ids.REPORT_SAMPLE)
        if view.is_sample else None,
        *asat_notices(view.asat_error, view.partial_note, view.newer_partial, newer_href),
        html.Div(asat_control, className="report-controls"),
        html.Div([
            download_links("dataset", view.asat.slug, "the full dataset, every table",
                           formats=("xlsx",), label="Full dataset, one sheet per table"),
            download_links("board-pack", view.asat.slug, "this board pack", formats=("pdf",),
                           label="This board pack, printed on the server"),
            download_links("exceptions", view.asat.slug, "the exception report",
                           label="Exception report: RED and AMBER KPIs with commentary"),
            download_links("returns", None, "every KPI return", label="KPI returns"),
            download_links("progress", None, "every action progress report",
                           label="Action progress reports"),
        ], id=ids.REPORT_DOWNLOADS),
    ], className="report-cover")


def _summary(view: ReportView, outcomes: dict) -> html.Section:
    summary = view.summary
    counts = rows_table(("Theme", *(status_badge(s) for s in STATUS_ORDER)),
                        [(f"{t.number}. {t.title}", *(str(c[s]) for s in STATUS_ORDER))
                         for t, c in summary.counts],
                        "KPIs by status in each theme", ids.REPORT_COUNTS)
    revised = view.signoff.revised
    red = rows_table(("KPI", "Measure", "Value", "Status", "Reason"),
                     [(k.ref, k.measure, [k.format_value(s.value), revised_flag(
                         (k.ref, s.period.label if s.period else "") in revised)],
                       status_badge(s.status), s.reason) for k, s in summary.red_kpis],
                     f"RED KPIs ({summary.red_total})", ids.REPORT_RED_KPIS)
    overdue = rows_table(("Action", "Heading", "Lead", "Due", "Status", "Reason"),
                         [(a.ref, a.heading, "; ".join(a.leads), a.due_label,
                           status_badge(s.status), s.reason)
                          for a, s in summary.overdue_actions],
                         f"Overdue actions ({summary.overdue_total})", ids.REPORT_OVERDUE)
    rated = outcomes_table(list(outcomes.values()), "Theme outcomes",
                           ids.REPORT_OUTCOMES) if outcomes else None
    return html.Section([html.H2("Summary"), rated, counts, red, overdue],
                        className="report-summary report-page")


def _theme(section: ThemeSection, asat_slug: str) -> html.Section:
    theme = section.theme
    charts = [html.Figure([trend_chart(t.kpi, t.series, class_name="report-chart"),
                           html.Figcaption([html.Strong(t.kpi.ref), " ", t.kpi.measure])],
                          className="report-figure") for t in section.tiles]
    rows = [(row.action.ref, row.action.heading, "; ".join(row.action.leads),
             row.action.due_label, status_badge(row.status.status), row.status.reason)
            for row in section.actions]
    return html.Section([
        html.H2(f"Theme {theme.number}: {theme.title}", id=ids.report_theme(theme.number)),
        html.P(theme.outcome, className="report-outcome"),
        html.Ul([kpi_tile(tile, f"?asat={asat_slug}") for tile in section.tiles],
                className="tile-grid"),
        html.H3("Trends against target"),
        html.Div(charts, className="report-charts"),
        html.H3("Actions"),
        rows_table(("Action", "Heading", "Lead", "Due", "Status", "Reason"), rows,
                   f"Theme {theme.number} actions", ids.report_actions(theme.number))
        if rows else html.P("No actions in this theme."),
    ], className="report-theme report-page", **{"data-theme": str(theme.number)})


def report_body(view: ReportView, outcomes: dict | None = None, asat_control=None,
                newer_href: str | None = None, signoff_control=None) -> list:
    """`outcomes`: each theme's ThemeOutcome by number, tabled on the summary page;
    `asat_control` is the page's as-at form (not printed); `newer_href` opens the newer,
    partial period; `signoff_control` the admin's sign-off button (not printed)."""
    return [_cover(view, asat_control, newer_href), _summary(view, outcomes or {}),
            exception_section(view.exceptions, view.asat.label, ids.REPORT_EXCEPTIONS,
                              ids.REPORT_EXCEPTIONS_TABLE),
            signoff_section(view.signoff, signoff_control),
            *(_theme(section, view.asat.slug) for section in view.sections)]


def report_pack(view: ReportView, outcomes: dict | None = None, asat_control=None,
                newer_href: str | None = None, signoff_control=None) -> html.Div:
    """The whole pack, as /report shows it and the server prints it. data-footer: the words of
    every printed page's footer (assets/report.js copies them where assets/report.css reads
    them)."""
    return html.Div(report_body(view, outcomes, asat_control, newer_href, signoff_control),
                    className="report-pack", id=ids.REPORT_PACK, **{"data-footer": view.footer})


def board_pack_html(view: ReportView, stylesheets: Sequence[str],
                    outcomes: dict | None = None) -> str:
    """The pack as one static HTML document with the app's stylesheets inline, for the server's
    Chromium to print from a file (routes/pdf.py). No script runs there, so the running footer
    is set on the root element here, as assets/report.js does in the browser."""
    return static_page(report_pack(view, outcomes),
                       f"Board pack {view.asat.label} - Improvement plan", stylesheets,
                       root_properties={"--pack-footer": css_string(view.footer)})
