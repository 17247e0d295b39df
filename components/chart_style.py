"""The type every chart uses (plotly figures and the server-made SVG alike), set in one place so
all charts read the same and a change is made once."""

from __future__ import annotations

FONT_FAMILY = "Arial, sans-serif"
TEXT_COLOUR = "#0b0c0c"  # GOV.UK's text colour, as in assets/app.css


def chart_font(size: int = 14) -> dict:
    """A plotly `font` (or `textfont`): chart text is 14 px, dense small multiples 13 px."""
    return {"size": size, "family": FONT_FAMILY, "color": TEXT_COLOUR}
