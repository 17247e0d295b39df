"""The meeting-room display: a header that always shows the as-at period, the time and "sample
data"; one slide; a footer with the slide number and a progress bar. Large type, high contrast,
status as word and icon."""

from __future__ import annotations

from dash import html

from components import ids
from components.outcomes import outcome_status
from components.status import status_badge
from components.trend_chart import trend_chart
from domain.views.present import (ExceptionSlide, PresentView, SummarySlide, ThemeSlide,
                                  slide_commentary)
from domain.views.commentary import NO_COMMENTARY
from domain.rules.rag import STATUS_ORDER


def present_meta(view: PresentView) -> list:
    """The header's changing part: as-at period and the sample-data label."""
    return [
        html.Span(["As at ", html.Strong(view.asat.label),
                   " (partial: returns still arriving)" if view.partial_note else None],
                  id=ids.PRESENT_ASAT),
        html.Span("Sample data", className="present-sample", id=ids.PRESENT_SAMPLE)
        if view.is_sample else None,
    ]


def _outcome_cell(outcomes: dict, number: int) -> html.Td:
    outcome = outcomes.get(number)
    return html.Td(outcome_status(outcome) if outcome else "", className="outcome")


def _counts(slide: SummarySlide, outcomes: dict) -> list:
    table = html.Table([
        html.Caption("Outcome rating and KPIs by status in each theme"),
        html.Thead(html.Tr([html.Th("Theme", scope="col"), html.Th("Outcome", scope="col")] + [
            html.Th(status_badge(s), scope="col") for s in STATUS_ORDER])),
        html.Tbody([html.Tr([html.Th(f"{theme.number}. {theme.title}", scope="row"),
                             _outcome_cell(outcomes, theme.number)] + [
            html.Td(str(counts[s]), className="count") for s in STATUS_ORDER])
            for theme, counts in slide.counts]),
    ], className="present-counts", id=ids.PRESENT_COUNTS)
    follows = (f"{slide.red_total} RED KPIs and {slide.overdue_total} overdue actions"
               + (" follow on the next slides." if slide.parts > 1 else "."))
    return [table, html.P(follows, className="present-follows")]


def _red_items(slide: SummarySlide) -> html.Div:
    red = html.Ul([html.Li([status_badge(status.status), " ",
                            html.Strong(kpi.ref), " ", kpi.format_value(status.value), " ",
                            kpi.measure], className="present-item")
                   for kpi, status in slide.red_kpis], id=ids.PRESENT_RED_KPIS,
                  className="present-list")
    overdue = html.Ul([html.Li([status_badge(status.status), " ", html.Strong(action.ref),
                                f" due {action.due_label}: ", action.heading],
                               className="present-item")
                       for action, status in slide.overdue_actions], id=ids.PRESENT_OVERDUE,
                      className="present-list")
    return html.Div([
        html.Section([html.H2(f"RED KPIs ({slide.red_total})"),
                      red if slide.red_kpis else html.P("No more on this slide.")]),
        html.Section([html.H2(f"Overdue actions ({slide.overdue_total})"),
                      overdue if slide.overdue_actions else html.P("No more on this slide.")]),
    ], className="present-summary")


def _summary(slide: SummarySlide, outcomes: dict) -> list:
    heading = "Summary" if slide.parts == 1 else f"Summary, part {slide.part} of {slide.parts}"
    return [html.H1(heading, className="slide-title"),
            *(_counts(slide, outcomes) if slide.part == 1 else [_red_items(slide)])]


def _exception_item(row) -> html.Li:
    said = (html.Span(slide_commentary(row), className="present-commentary")
            if row.commentary else
            html.Span([html.Span("\u26A0 ", **{"aria-hidden": "true"}),
                       html.Strong(NO_COMMENTARY)], className="no-commentary"))
    return html.Li([
        html.Div([status_badge(row.status.status), " ", html.Strong(row.kpi.ref), " ",
                  row.value_shown, f" target {row.kpi.target_label} ",
                  html.Span(row.kpi.measure, className="present-measure")]),
        html.Div(said),
    ], className="present-item")


def _exceptions(slide: ExceptionSlide) -> list:
    heading = ("RED and AMBER KPIs" if slide.parts == 1
               else f"RED and AMBER KPIs, part {slide.part} of {slide.parts}")
    return [html.H1(f"{heading} ({slide.total})", className="slide-title"),
            html.Ul([_exception_item(row) for row in slide.rows], id=ids.PRESENT_EXCEPTIONS,
                    className="present-list present-exceptions")
            if slide.rows else html.P("No KPI is RED or AMBER.")]


def _tile(tile) -> html.Li:
    kpi, status = tile.kpi, tile.status
    return html.Li([
        html.Div([status_badge(status.status), " ", html.Strong(kpi.ref, className="kpi-ref"), " ",
                  html.Span(kpi.format_value(status.value), className="present-value"),
                  html.Span(f" target {kpi.target_label}", className="present-target"),
                  html.Span(" \u26A0 overdue", className="overdue-flag")
                  if status.return_overdue else None]),
        html.Div(kpi.measure, className="present-measure"),
    ], className="present-tile")


def _outcome_line(outcome) -> html.P | None:
    if outcome is None:
        return None
    why = outcome.board.rationale if outcome.board else outcome.suggested_reason
    return html.P([html.Strong("Outcome: "), *outcome_status(outcome), " ", why],
                  className="present-outcome-rating", id=ids.PRESENT_OUTCOME)


def _theme(slide: ThemeSlide, outcomes: dict) -> list:
    theme = slide.theme
    charts = [html.Figure([
        trend_chart(tile.kpi, tile.series),
        html.Figcaption([status_badge(tile.status.status), " ", html.Strong(tile.kpi.ref), " ",
                         tile.kpi.format_value(tile.status.value)]),
    ], className="present-chart") for tile in slide.charted]
    return [
        html.H1(f"Theme {theme.number}: {theme.title}", className="slide-title",
                id=ids.PRESENT_THEME_TITLE, **{"data-theme": str(theme.number)}),
        _outcome_line(outcomes.get(theme.number)),
        html.P(theme.outcome, className="present-outcome"),
        html.Div([
            html.Ul([_tile(tile) for tile in slide.tiles], className="present-tiles"),
            html.Div(charts or html.P("No RED or AMBER KPIs in this theme."),
                     className="present-charts " + (f"charts-{len(charts)}" if len(charts) <= 4 else "charts-many")),
        ], className="present-theme"),
    ]


def present_slide(view: PresentView, outcomes: dict | None = None) -> list:
    """`outcomes`: each theme's ThemeOutcome by number (domain/views/outcomes.py)."""
    slide, outcomes = view.slide, outcomes or {}
    if isinstance(slide, SummarySlide):
        body = _summary(slide, outcomes)
    elif isinstance(slide, ExceptionSlide):
        body = _exceptions(slide)
    else:
        body = _theme(slide, outcomes)
    return [html.Div(view.asat_error, className="present-warning", role="alert")
            if view.asat_error else None, *body]


def present_progress(view: PresentView, interval: int, paused: bool) -> list:
    """Slide number, one dot per slide, and a bar that fills over the interval."""
    return [
        # Announced to a screen reader on each change, rather than the whole slide.
        html.Span(f"Slide {view.index + 1} of {view.count}", id=ids.PRESENT_SLIDE_NUMBER,
                  role="status"),
        html.Span([html.Span("\u25CF" if i == view.index else "\u25CB",
                             className="dot current" if i == view.index else "dot")
                   for i in range(view.count)], className="present-dots",
                  **{"aria-hidden": "true"}),
        html.Span("Paused: press space to resume" if paused else "",
                  id=ids.PRESENT_PAUSED, className="present-paused"),
        # A new key each slide restarts the CSS animation.
        html.Div(html.Div(className="present-bar-fill" + (" paused" if paused else ""),
                          style={"animationDuration": f"{interval}s"}),
                 className="present-bar", key=f"bar-{view.index}-{paused}"),
    ]
