"""A theme outcome's rating as the pages show it: status word and icon, the reason, the board's
rating beside the suggestion when they differ, and the outcome statement on demand."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from components.status import status_badge
from components.tables import rows_table
from domain.rules.outcomes import BoardRating
from domain.views.outcomes import ThemeOutcome


def rated_time(rated_at: str | None) -> str:
    """"20 Apr 2017 10:00 UTC" from the stored ISO time."""
    if not rated_at:
        return ""
    day, _, rest = rated_at.partition("T")
    year, month, dom = day.split("-")
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{int(dom)} {months[int(month) - 1]} {year} {rest[:5]} UTC".strip()


def board_words(outcome: ThemeOutcome) -> list:
    """Whose rating shows, and the other one beside it when they differ."""
    board = outcome.board
    if board is None:
        return ["Suggested: ", outcome.suggested_reason]
    who = f"Board rating, recorded by {board.rated_by} on {rated_time(board.rated_at)}"
    parts = [f"{who}: ", board.rationale or "no rationale (as suggested)."]
    if outcome.differs:
        parts += [html.Br(), "Suggested ", status_badge(outcome.suggested), " ",
                  outcome.suggested_reason]
    return parts


def outcome_status(outcome: ThemeOutcome) -> list:
    """The badge, with "(board)" when the board rated it, so the source is never a guess."""
    return [status_badge(outcome.status), " (board)" if outcome.board else " (suggested)"]


def outcome_header(outcome: ThemeOutcome, header_id: str, asat_slug: str | None = None,
                   link: bool = True, statement_open: bool = False) -> html.Div:
    """Under a theme's heading: "Outcome AMBER ▲ board", why, and the statement in <details>."""
    href = f"/theme/{outcome.theme}" + (f"?asat={asat_slug}" if asat_slug else "")
    return html.Div([
        html.P([html.Strong("Outcome: "), *outcome_status(outcome)],
               className="outcome-status"),
        html.P(board_words(outcome), className="outcome-reason"),
        html.Details([html.Summary("Outcome statement"), html.P(outcome.outcome)],
                     className="outcome-statement", open=statement_open),
        dcc.Link(f"Theme {outcome.theme} page: rating history, KPIs and actions", href=href,
                 className="outcome-link") if link else None,
    ], className="theme-outcome", id=header_id)


def outcomes_table(outcomes: Sequence[ThemeOutcome], caption: str, table_id: str) -> html.Div:
    """One row per theme: rating, whose, and why (the report's summary, the PDF)."""
    return rows_table(
        ("Theme", "Outcome rating", "Why"),
        [(f"{o.theme}. {o.title}", outcome_status(o), board_words(o)) for o in outcomes],
        caption, table_id)


def history_table(history: Sequence[ThemeOutcome], table_id: str) -> html.Div:
    """The theme's rating in each quarter: the standing one, the suggestion, the board's."""
    return rows_table(
        ("Quarter", "Rating", "Suggested", "Board", "Rationale"),
        [(o.period_label, outcome_status(o), status_badge(o.suggested),
          status_badge(o.board.status) if o.board else "not rated",
          o.board.rationale if o.board else "") for o in reversed(list(history))],
        "Outcome rating in each quarter, latest first", table_id)


def changes_table(changes: Sequence[BoardRating], table_id: str) -> html.Div | html.P:
    """Every rating the board recorded, newest first, with who and when."""
    if not changes:
        return html.P("The board has not recorded a rating for this theme yet.", id=table_id)
    return rows_table(
        ("Recorded", "By", "Quarter", "Rating", "Rationale"),
        [(rated_time(r.rated_at), r.rated_by, r.period, status_badge(r.status), r.rationale)
         for r in changes], "Every board rating recorded, newest first", table_id)
