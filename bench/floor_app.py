"""The floor for bench/pages.py: a Dash page holding one plotly graph, served the way app.py
serves the dashboard (Dash's own server, in its own process).

    python bench/floor_app.py --port 8051
"""

from __future__ import annotations

import argparse

import plotly.graph_objects as go
from dash import Dash, dcc, html


def floor_app() -> Dash:
    app = Dash(__name__, title="Floor")
    figure = go.Figure(go.Scatter(x=[1, 2, 3, 4], y=[3, 1, 4, 1], mode="lines+markers"))
    app.layout = html.Div([html.H1("Floor"), dcc.Graph(id="floor-graph", figure=figure)])
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8051)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    floor_app().run(host=args.host, port=args.port, debug=False)
