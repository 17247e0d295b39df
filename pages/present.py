"""`/present`: the meeting-room display. Full screen, large type, rotating slides.

    /present?interval=30&theme=4,5&asat=2016-17Q4[&slide=N]   (slide: where to start, from 1)

Left and right arrows move, space pauses and resumes (assets/present.js). Each tick asks the
server for the next slide, so if the server restarts the display carries on at the next tick.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx
from dash import dcc, html

from callbacks.context import current_dataset
from callbacks.present import move, present_config, render
from domain.present import interval_seconds, slide_index, theme_order

dash.register_page(__name__, path="/present", name="Present",
                   title="Present - Improvement plan")


def layout(interval=None, theme=None, asat=None, slide=None, **_query):
    dataset = current_dataset()
    seconds = interval_seconds(interval)
    config = present_config(seconds, theme_order(dataset.plan, theme), asat)
    start = max(slide_index(slide) - 1, 0)
    state = {"index": start, "paused": False}
    content, meta, progress, pause_word = render(dataset, state, config)
    return html.Div([
        html.Header([
            html.Div(meta, id="present-meta", className="present-meta"),
            html.Span(id="present-clock", className="present-clock", role="timer",
                      **{"aria-label": "Time now"}),
        ], className="present-header"),
        html.Div(content, id="present-slide", className="present-slide"),
        # A div, not a <footer>: the page already has the site's one footer landmark.
        html.Div([
            html.Div(progress, id="present-progress", className="present-progress"),
            html.Div([
                html.Button("\u25C0 Previous", id="present-prev", className="present-button",
                            title="Previous slide (left arrow)"),
                html.Button(pause_word, id="present-pause", className="present-button",
                            title="Pause or resume (space)"),
                html.Button("Next \u25B6", id="present-next", className="present-button",
                            title="Next slide (right arrow)"),
            ], className="present-controls"),
        ], className="present-footer"),
        dcc.Interval(id="present-tick", interval=seconds * 1000),
        dcc.Interval(id="present-clock-tick", interval=1000),
        dcc.Store(id="present-state", data=state),
        dcc.Store(id="present-config", data=config),
    ], className="present-page", id="present-page")


@callback(
    Output("present-state", "data"),
    Output("present-tick", "disabled"),
    Output("present-tick", "interval"),
    Output("present-slide", "children"),
    Output("present-meta", "children"),
    Output("present-progress", "children"),
    Output("present-pause", "children"),
    Input("present-tick", "n_intervals"),
    Input("present-prev", "n_clicks"),
    Input("present-next", "n_clicks"),
    Input("present-pause", "n_clicks"),
    State("present-state", "data"),
    State("present-config", "data"),
    State("present-tick", "interval"),
    prevent_initial_call=True,
)
def on_move(_ticks, _prev, _next, _pause, state, config, interval_ms):
    return move(current_dataset(), ctx.triggered_id, state, config, interval_ms)


# The clock runs in the browser, so it keeps time even while the server is restarting.
clientside_callback(ClientsideFunction("present", "clock"),
                    Output("present-clock", "children"), Input("present-clock-tick", "n_intervals"))
