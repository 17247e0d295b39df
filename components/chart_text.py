"""Text from the data as a plotly chart must be given it (issue 17).

Plotly reads <a href>, <b>, <br>... in trace names, titles, hover text and annotations as
markup, so an area or a name in a published file could become a live link on a chart; tables
escape text, and every text a chart shows goes through `chart_text`.
"""

from __future__ import annotations

from html import escape


def chart_text(text: object) -> str:
    """<, > and & as entities (plotly shows them as the characters), and "%{" as "&#37;{" so
    it cannot start a hover-template variable."""
    return escape(str(text), quote=False).replace("%{", "&#37;{")
