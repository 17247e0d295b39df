"""SPC views: the XmR chart (rule breaks highlighted by rule, each with its own marker shape and
legend entry) and the variation and assurance icons (a symbol and words, never colour alone)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from dash import dcc, html

from components import ids
from components.chart_style import TEXT_COLOUR, chart_font
from components.chart_text import chart_text
from components.charts import (GRAPH_CONFIG, SERIES_COLOURS, TARGET_COLOUR, chart_template,
                               wrap_title)
from components.milestones import add_milestones
from domain.views.milestones import Milestone
from domain.rules.plan import Kpi
from domain.rules.rag import Observation
from domain.rules.spc import RULES, Assurance, Variation, XmR
from domain.views.spc_view import kpi_xmr, xmr_sentence

RULE_MARKERS = {"outside_limits": ("diamond", "#D4351C"), "shift": ("square", "#801650"),
                "trend": ("triangle-up", "#F46A25"), "two_of_three": ("star", "#28A197")}
VARIATION_ICONS = {Variation.COMMON: ("\u223F", "common"),  # ∿
                   Variation.IMPROVING: ("\u271A", "improving"),  # ✚
                   Variation.CONCERNING: ("\u2716", "concerning"),  # ✖
                   Variation.NEITHER: ("\u25C6", "neither")}  # ◆
ASSURANCE_ICONS = {Assurance.PASSES: ("P", "passes"), Assurance.FAILS: ("F", "fails"),
                   Assurance.HIT_AND_MISS: ("?", "hit-and-miss")}
ASSURANCE_SHORT = {Assurance.PASSES: "consistently passes", Assurance.FAILS: "consistently fails",
                   Assurance.HIT_AND_MISS: "hit and miss"}


def _icon(symbol: str, words: str, css: str) -> html.Span:
    return html.Span([html.Span(symbol, className="spc-icon", **{"aria-hidden": "true"}),
                      html.Span(words, className="spc-word")], className=f"spc-badge {css}")


def spc_icons(result: XmR) -> html.Span | None:
    """Variation and assurance badges; nothing when there are too few points to say."""
    if not result.enough_points or result.variation is None:
        return None
    symbol, css = VARIATION_ICONS[result.variation]
    badges = [_icon(symbol, f"Variation: {result.variation.value.lower()}", f"spc-{css}")]
    if result.assurance is not None:
        symbol, css = ASSURANCE_ICONS[result.assurance]
        badges.append(_icon(symbol, f"Assurance: {ASSURANCE_SHORT[result.assurance]}",
                            f"spc-{css}"))
    return html.Span(badges, className="spc-icons")


def _line(x, y, name, dash, colour=TARGET_COLOUR, width=1.5) -> go.Scatter:
    return go.Scatter(x=x, y=y, mode="lines", name=chart_text(name), hoverinfo="skip",
                      line={"color": colour, "dash": dash, "width": width})


def xmr_figure(kpi: Kpi, observations: Sequence[Observation], result: XmR,
               milestones: Sequence[Milestone] = ()) -> go.Figure:
    figure = go.Figure()
    x = [o.period.end for o in observations]
    figure.add_trace(go.Scatter(
        x=x, y=list(result.values), name="Whole authority", mode="lines+markers",
        line={"color": SERIES_COLOURS[0], "width": 2}, marker={"size": 7, "symbol": "circle"},
        customdata=[[o.period.label, kpi.format_value(o.value)] for o in observations],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>"))
    if result.limits is not None and x:
        limits, ends = result.limits, [x[0], x[-1]]
        provisional = "" if result.enough_points else " (provisional)"
        figure.add_trace(_line(ends, [limits.mean] * 2, f"Mean {kpi.format_value(limits.mean)}",
                               "solid", "#505a5f"))
        figure.add_trace(_line(ends, [limits.upper] * 2, "Upper process limit" + provisional,
                               "dash", "#505a5f"))
        figure.add_trace(_line(ends, [limits.lower] * 2, "Lower process limit" + provisional,
                               "dash", "#505a5f"))
        figure.add_trace(_line(ends, [kpi.target] * 2, f"Target {kpi.target_label}", "dot",
                               TARGET_COLOUR, 2))
        for rule in RULES:
            flagged = sorted(result.flags.get(rule.code, {}))
            if not flagged:
                continue
            symbol, colour = RULE_MARKERS[rule.code]
            figure.add_trace(go.Scatter(
                x=[x[i] for i in flagged], y=[result.values[i] for i in flagged], mode="markers",
                name=wrap_title(rule.label), marker={"symbol": symbol, "size": 13, "color": colour,
                                         "line": {"width": 1, "color": TEXT_COLOUR}},
                hovertemplate=chart_text(rule.label) + "<extra></extra>"))
    if result.values:
        add_milestones(figure, milestones, min(result.values))
    figure.update_layout(
        template=chart_template(), height=460, margin={"l": 60, "r": 20, "t": 30, "b": 110},
        font=chart_font(),
        # The legend's top below the axis title, never over it (issue 15).
        legend={"orientation": "h", "y": -0.22, "yanchor": "top"},
        yaxis={"title": {"text": chart_text(kpi.unit_label)}},
        xaxis={"title": {"text": "Period end"}})
    return figure


def spc_section(kpi: Kpi, observations: Sequence[Observation],
                milestones: Sequence[Milestone] = ()) -> html.Section:
    result = kpi_xmr(kpi, observations)
    return html.Section([
        html.H2("Is it real change? (statistical process control)", id=ids.KPI_SPC_HEADING),
        html.P(spc_icons(result), id=ids.KPI_SPC_ICONS) if result.enough_points else None,
        html.P(xmr_sentence(kpi, observations, result), id=ids.KPI_SPC_SUMMARY),
        html.Figure(dcc.Graph(id=ids.KPI_SPC_CHART,
                              figure=xmr_figure(kpi, observations, result, milestones),
                              config=GRAPH_CONFIG),
                    **{"aria-describedby": ids.KPI_SPC_SUMMARY}, className="chart"),
    ], **{"aria-labelledby": ids.KPI_SPC_HEADING}, className="spc-section")
