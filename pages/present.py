"""`/present`: the meeting-room display. Full screen, large type, rotating slides.

    /present?interval=30&theme=4,5&asat=2016-17Q4[&slide=N]   (slide: where to start, from 1)

Left and right arrows move, space pauses and resumes (assets/present.js). Each tick asks the
server for the next slide, so if the server restarts the display carries on at the next tick.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, clientside_callback, ctx
from dash import dcc, html

from components import ids
from runtime.context import current_dataset
from runtime.context import current_ratings
from callbacks.present import move, present_config, render
from domain.views.present import interval_seconds, slide_index, theme_order
from callbacks.access import protected_callback
from domain.rules.access import Permission

dash.register_page(__name__, path="/present", name="Present",
                   title="Present - Improvement plan",
                   access=Permission.PRESENT)


def layout(interval=None, theme=None, asat=None, slide=None, **_query):
    dataset = current_dataset()
    seconds = interval_seconds(interval)
    config = present_config(seconds, theme_order(dataset.plan, theme), asat)
    start = max(slide_index(slide) - 1, 0)
    state = {"index": start, "paused": False}
    content, meta, progress, pause_word = render(dataset, state, config,
                                                 current_ratings().ratings())
    return html.Div([
        html.Header([
            html.Div(meta, id=ids.PRESENT_META, className="present-meta"),
            html.Span(id=ids.PRESENT_CLOCK, className="present-clock", role="timer",
                      **{"aria-label": "Time now"}),
        ], className="present-header"),
        html.Div(content, id=ids.PRESENT_SLIDE, className="present-slide"),
        # A div, not a <footer>: the page already has the site's one footer landmark.
        html.Div([
            html.Div(progress, id=ids.PRESENT_PROGRESS, className="present-progress"),
            html.Div([
                html.Button("\u25C0 Previous", id=ids.PRESENT_PREV, className="present-button",
                            title="Previous slide (left arrow)"),
                html.Button(pause_word, id=ids.PRESENT_PAUSE, className="present-button",
                            title="Pause or resume (space)"),
                html.Button("Next \u25B6", id=ids.PRESENT_NEXT, className="present-button",
                            title="Next slide (right arrow)"),
            ], className="present-controls"),
        ], className="present-footer"),
        dcc.Interval(id=ids.PRESENT_TICK, interval=seconds * 1000),
        dcc.Interval(id=ids.PRESENT_CLOCK_TICK, interval=1000),
        dcc.Store(id=ids.PRESENT_STATE, data=state),
        dcc.Store(id=ids.PRESENT_CONFIG, data=config),
    ], className="present-page", id=ids.PRESENT_PAGE)


@protected_callback(
    Permission.PRESENT,
    Output(ids.PRESENT_STATE, "data"),
    Output(ids.PRESENT_TICK, "disabled"),
    Output(ids.PRESENT_TICK, "interval"),
    Output(ids.PRESENT_SLIDE, "children"),
    Output(ids.PRESENT_META, "children"),
    Output(ids.PRESENT_PROGRESS, "children"),
    Output(ids.PRESENT_PAUSE, "children"),
    Input(ids.PRESENT_TICK, "n_intervals"),
    Input(ids.PRESENT_PREV, "n_clicks"),
    Input(ids.PRESENT_NEXT, "n_clicks"),
    Input(ids.PRESENT_PAUSE, "n_clicks"),
    State(ids.PRESENT_STATE, "data"),
    State(ids.PRESENT_CONFIG, "data"),
    State(ids.PRESENT_TICK, "interval"),
    prevent_initial_call=True,
)
def on_move(_ticks, _prev, _next, _pause, state, config, interval_ms):
    return move(current_dataset(), ctx.triggered_id, state, config, interval_ms,
                current_ratings().ratings())


# The clock runs in the browser, so it keeps time even while the server is restarting.
clientside_callback(ClientsideFunction("present", "clock"),
                    Output(ids.PRESENT_CLOCK, "children"),
                    Input(ids.PRESENT_CLOCK_TICK, "n_intervals"))
