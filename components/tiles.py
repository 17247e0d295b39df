"""Overview tiles: one per KPI, grouped by theme, with the status counts above them."""

from __future__ import annotations

from dash import dcc, html

from domain.views.overview import OverviewView, Tile
from components import ids
from components.controls import asat_notices
from components.downloads import download_links
from components.outcomes import outcome_header
from components.sparkline import sparkline
from components.spc import spc_icons
from components.status import status_badge, status_counts, status_slug
from domain.views.narrative import trend_sentence
from domain.views.spc_view import direction_words, kpi_xmr

def _movement_arrow(tile: Tile) -> str:
    """The arrow shows which way the value moved; the word says whether that is good, since
    a falling caseload improves while a falling audit score worsens."""
    previous, value = tile.status.previous, tile.status.value
    if previous is None or value is None or value == previous.value:
        return "\u2192"  # →
    return "\u2197" if value > previous.value else "\u2198"  # ↗ ↘


def _direction(tile: Tile, xmr_result) -> html.Span | None:
    """The arrow and the words, which say what the direction is based on and defer to SPC
    when it disagrees (domain.spc_view.direction_words)."""
    words = direction_words(tile.kpi, tile.status, xmr_result)
    if not words:
        return None
    return html.Span([html.Span(_movement_arrow(tile), **{"aria-hidden": "true"}), f" {words}"],
                     className=f"direction direction-{tile.status.direction}")


def kpi_tile(tile: Tile, link_query: str) -> html.Li:
    """`link_query` (`?asat=...&theme=...`) goes on the link to the KPI's page, so its "Back
    to the overview" returns to the same view."""
    kpi, status = tile.kpi, tile.status
    xmr_result = kpi_xmr(kpi, tile.series)
    value = kpi.format_value(status.value)
    when = f" at {status.period.label}" if status.period else ""
    return html.Li(html.Article([
        html.Div([
            html.H3(dcc.Link([html.Span(kpi.ref, className="kpi-ref"), " ", kpi.measure],
                             href=f"/kpi/{kpi.ref}{link_query}",
                             className="stretched-link kpi-link"),
                    className="kpi-title"),
        ], className="tile-head"),
        html.Div([status_badge(status.status), _direction(tile, xmr_result),
                  html.Span([html.Span("\u26A0", **{"aria-hidden": "true"}), " Return overdue"],
                            className="overdue-flag") if status.return_overdue else None],
                 className="tile-status"),
        html.P([html.Span(value, className="kpi-value"), html.Span(when, className="kpi-when")],
               className="kpi-latest"),
        html.P(f"Target {kpi.target_label} by {kpi.due_date:%b %Y}", className="kpi-target"),
        # Variation and assurance icons only with 12+ points (spc_icons gives None otherwise).
        spc_icons(xmr_result),
        sparkline([o.value for o in tile.series], kpi.target,
                  alt=trend_sentence(kpi, tile.series, subject=f"Trend of {kpi.ref}")),
    ], className=f"kpi-tile card rag-border-{status_slug(status.status)}"),
        className="kpi-tile-item")


def theme_sections(view: OverviewView, link_query: str, outcomes: dict | None = None) -> list:
    """`outcomes`: each theme's ThemeOutcome by number, shown under its heading."""
    asat_slug = view.asat.slug
    if not view.sections:
        return [html.P("No KPIs match these filters. Clear a filter to see more.",
                       className="empty-message")]
    return [
        html.Section([
            html.H2(f"Theme {theme.number}: {theme.title}", id=ids.theme_heading(theme.number)),
            outcome_header(outcomes[theme.number], ids.theme_outcome(theme.number), asat_slug)
            if outcomes and theme.number in outcomes else None,
            html.Ul([kpi_tile(tile, link_query) for tile in tiles], className="tile-grid"),
        ], className="theme-section", **{"aria-labelledby": ids.theme_heading(theme.number)})
        for theme, tiles in view.sections
    ]


def overview_body(view: OverviewView, filters: dict | None = None,
                  link_query: str | None = None, newer_href: str | None = None,
                  outcomes: dict | None = None) -> list:
    """`filters` (theme, officer, status values) go on the downloads; `link_query` on each
    tile's link; `newer_href` opens the newer, partial period; `outcomes`: each theme's
    ThemeOutcome by number, shown under its heading."""
    filtered = any(filters.values()) if filters else False
    return [
        *asat_notices(view.asat_error, view.partial_note, view.newer_partial, newer_href),
        html.P(f"Showing {view.shown} of {view.total} KPIs as at {view.asat.label}.",
               id=ids.OVERVIEW_SUMMARY, className="lead-summary", role="status"),
        status_counts(view.counts, "KPIs by status", ids.STATUS_COUNTS),
        download_links("kpis", view.asat.slug,
                       "the value and status of the KPIs shown" if filtered
                       else "every KPI's value and status", params=filters),
        *theme_sections(view, link_query or f"?asat={view.asat.slug}", outcomes),
    ]
