"""Where the authority stands among all authorities (issue 15): every authority's value in one
year as a ranked bar chart, quartile bands shaded and named, the authority and its neighbours
marked in words as well as colour; then the rank and band each year as a table."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

from components import ids
from components.chart_style import chart_font
from components.chart_text import chart_text
from components.charts import GRAPH_CONFIG, SERIES_COLOURS, TARGET_COLOUR, chart_template
from components.tables import rows_table
from domain.rules.benchmark import BANDS, Benchmark
from domain.rules.plan import Kpi
from domain.views.benchmark import RankedYear

OTHER_COLOUR = "#B1B4B6"  # every other authority: GOV.UK's mid grey
BAND_SHADES = ("#E8F1F8", "#FFFFFF", "#E8F1F8", "#FFFFFF")  # alternate, with the band's letter


def _number(kpi: Kpi, value: float | None) -> str:
    return "" if value is None else kpi.format_value(value)


def ranked_figure(kpi: Kpi, ranked: RankedYear, authority_name: str) -> go.Figure:
    """Every authority's value, the best on the left; the authority's bar in the plan's blue and
    labelled, its neighbours' in teal, England a dashed line, the quartile bands shaded and
    lettered (all shapes set at once: adding them one by one re-validates every shape)."""
    codes = [code for code, _ in ranked.values]
    neighbours = set(ranked.neighbours)
    colours = [SERIES_COLOURS[0] if code == ranked.authority else
               SERIES_COLOURS[1] if code in neighbours else OTHER_COLOUR for code in codes]
    ranks = list(range(1, len(codes) + 1))
    figure = go.Figure(go.Bar(
        x=ranks, y=[value for _, value in ranked.values], marker={"color": colours},
        customdata=codes, hovertemplate="LA %{customdata}: %{y}<extra></extra>",
        name="Authorities"))
    count = len(codes)
    shapes, annotations = [], []
    for index, band in enumerate(BANDS):
        first = index * count / len(BANDS) + 0.5
        last = (index + 1) * count / len(BANDS) + 0.5
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": first, "x1": last,
                       "y0": 0, "y1": 1, "fillcolor": BAND_SHADES[index], "line": {"width": 0},
                       "layer": "below"})
        annotations.append({"x": (first + last) / 2, "y": 1, "yref": "paper",
                            "yanchor": "bottom", "showarrow": False,
                            "text": f"Band {band}", "font": chart_font(13)})
    if ranked.standing.england is not None:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                       "y0": ranked.standing.england, "y1": ranked.standing.england,
                       "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 1.5}})
        annotations.append({"x": 1, "xref": "paper", "xanchor": "right",
                            "y": ranked.standing.england, "yanchor": "bottom",
                            "showarrow": False, "font": chart_font(13),
                            "text": f"England {_number(kpi, ranked.standing.england)}"})
    if ranked.standing.rank is not None:
        annotations.append({"x": codes.index(ranked.authority) + 1, "y": ranked.standing.value,
                            "text": chart_text(f"{authority_name}: rank "
                                               f"{ranked.standing.rank}"),
                            "showarrow": True, "arrowhead": 2, "ax": 0, "ay": -40,
                            "font": chart_font(13)})
    figure.update_layout(
        template=chart_template(), height=380, margin={"l": 60, "r": 20, "t": 40, "b": 50},
        font=chart_font(), showlegend=False, shapes=shapes, annotations=annotations,
        xaxis={"title": {"text": "Rank, the best first"}},
        yaxis={"title": {"text": chart_text(kpi.unit_label)}})
    return figure


def standing_sentence(kpi: Kpi, standing: Benchmark, authority_name: str) -> str:
    """The chart's words: where the authority stands, so the band is never only a colour."""
    if standing.rank is None:
        return f"{authority_name} has no published value for {standing.year}."
    band = f", band {standing.band}" if standing.band else ""
    better = "higher" if kpi.higher_is_better else "lower"
    words = (f"{authority_name}: {_number(kpi, standing.value)} in {standing.year}, ranked "
             f"{standing.rank} of {standing.of} authorities{band} ({better} is better)")
    if standing.neighbour_rank is not None and standing.neighbours_of > 1:
        words += f"; {standing.neighbour_rank} of {standing.neighbours_of} with its neighbours"
    return words + "."


def benchmark_table(kpi: Kpi, standings: list[Benchmark]) -> html.Div:
    rows = [(s.year, _number(kpi, s.value), "" if s.rank is None else f"{s.rank} of {s.of}",
             s.band or "none", _number(kpi, s.england), _number(kpi, s.neighbours_mean),
             "" if s.neighbour_rank is None else f"{s.neighbour_rank} of {s.neighbours_of}",
             s.note) for s in standings]
    return rows_table(("Year", "Value", "Rank", "Band", "England", "Neighbours' mean",
                       "Rank with neighbours", "Note"), rows,
                      "Rank and quartile band each published year", ids.KPI_BENCHMARK_TABLE)


def benchmark_section(kpi: Kpi, standings: list[Benchmark], ranked: RankedYear | None,
                      authority_name: str) -> html.Section | None:
    """None when the KPI has no published measure to rank."""
    if not standings:
        return None
    body = []
    if ranked is not None:
        body += [
            html.P(standing_sentence(kpi, ranked.standing, authority_name),
                   id=ids.KPI_BENCHMARK_SUMMARY),
            dcc.Graph(figure=ranked_figure(kpi, ranked, authority_name),
                      id=ids.KPI_BENCHMARK_CHART, config=GRAPH_CONFIG),
            html.P(f"Every English local authority with a value in {ranked.year}, the best "
                   f"first: {authority_name} in dark blue, its statistical neighbours in teal, "
                   f"the others grey; the bands are the quarters of the ranks. From "
                   f"{ranked.source}.", className="chart-note"),
        ]
    body.append(benchmark_table(kpi, standings))
    return html.Section([
        html.H2("Where do we stand among all authorities?", id=ids.KPI_BENCHMARK_HEADING),
        html.P("Rank 1 is the best by the KPI's direction; ties share a rank. Band A is the "
               "best quarter of authorities, D the last. Suppressed values are left out."),
        *body,
    ], id=ids.KPI_BENCHMARK, **{"aria-labelledby": ids.KPI_BENCHMARK_HEADING})
