"""Theme outcomes as the pages, exports and API show them: each theme's suggested rating and
reason as at a period, and the board's rating beside it (docs/rules.md#rag-rating-of-a-theme-outcome).

The board's ratings come in as a list (read from the store by the caller), so this stays plain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from domain.rules.dataset import Dataset
from domain.rules.outcomes import (BOARD_STATUSES, BoardRating, board_rating_for,
                                   period_in_plan, suggest_outcomes)
from domain.rules.periods import PeriodError, ReportingPeriod
from domain.rules.rag import Rag

THEME_FIELDS = ("theme", "title", "outcome", "suggested", "suggested_reason", "status",
                "rationale", "rated_by", "rated_at")
EXPORT_COLUMNS = {"theme": "Theme", "title": "Title", "outcome": "Outcome",
                  "status": "Status", "suggested": "Suggested", "suggested_reason": "Reason",
                  "rationale": "Board rationale", "rated_by": "Rated by", "rated_at": "Rated at"}


@dataclass(frozen=True)
class ThemeOutcome:
    theme: int
    title: str
    outcome: str
    suggested: Rag
    suggested_reason: str
    board: BoardRating | None
    period_label: str = ""  # the as-at quarter it was rated for

    @property
    def status(self) -> Rag:
        """The board's rating when there is one, else the suggestion."""
        return Rag(self.board.status) if self.board else self.suggested

    @property
    def differs(self) -> bool:
        return self.board is not None and self.board.status != self.suggested.value

    def record(self) -> dict:
        board = self.board
        return {"theme": self.theme, "title": self.title, "outcome": self.outcome,
                "suggested": self.suggested.value, "suggested_reason": self.suggested_reason,
                "status": self.status.value,
                "rationale": board.rationale if board else None,
                "rated_by": board.rated_by if board else None,
                "rated_at": board.rated_at if board else None}


def theme_outcomes(dataset: Dataset, asat: ReportingPeriod,
                   ratings: Sequence[BoardRating]) -> list[ThemeOutcome]:
    """Every theme, in plan order, as at `asat`."""
    suggestions = suggest_outcomes(dataset.plan, dataset.kpi_statuses(asat),
                                   dataset.action_statuses(asat), asat)
    return [ThemeOutcome(t.number, t.title, t.outcome, suggestions[t.number].status,
                         suggestions[t.number].reason,
                         board_rating_for(ratings, t.number, asat.label), asat.label)
            for t in dataset.plan.themes]


def themes_payload(dataset: Dataset, asat: ReportingPeriod,
                   ratings: Sequence[BoardRating]) -> dict:
    """`GET /api/themes`: `{"asat": "2016/17 Q4", "themes": [...]}`."""
    return {"asat": asat.label,
            "themes": [o.record() for o in theme_outcomes(dataset, asat, ratings)]}


def themes_frame(dataset: Dataset, asat: ReportingPeriod,
                 ratings: Sequence[BoardRating]) -> pd.DataFrame:
    """`/export/themes.csv|.xlsx`: one row per theme."""
    records = [o.record() for o in theme_outcomes(dataset, asat, ratings)]
    frame = pd.DataFrame.from_records(records, columns=list(EXPORT_COLUMNS))
    return frame.rename(columns=EXPORT_COLUMNS)


def rating_history(dataset: Dataset, theme: int,
                   ratings: Sequence[BoardRating]) -> list[ThemeOutcome]:
    """A theme's outcome in every quarter with data, oldest first (the theme page's table)."""
    out = []
    for quarter in dataset.quarters():
        for outcome in theme_outcomes(dataset, quarter, ratings):
            if outcome.theme == theme:
                out.append(outcome)
    return out


def board_changes(ratings: Sequence[BoardRating], theme: int) -> list[BoardRating]:
    """Every rating the board recorded for a theme, newest first: nothing is lost."""
    return [r for r in reversed(list(ratings)) if r.theme == theme]


@dataclass(frozen=True)
class RatingProblem:
    field: str
    message: str


def _theme_number(dataset: Dataset, theme_text: str) -> tuple[int | None, RatingProblem | None]:
    numbers = [t.number for t in dataset.plan.themes]
    known = ", ".join(map(str, numbers))
    try:
        number = int(str(theme_text).strip())
    except ValueError:
        number = None
    if number not in numbers:
        return None, RatingProblem("theme", f"The plan has no theme '{theme_text}': use one of "
                                            f"{known}.")
    return number, None


def _rated_period(dataset: Dataset, text) -> tuple[ReportingPeriod | None, RatingProblem | None]:
    plan = dataset.plan
    span = f"{plan.start_date:%d %b %Y} to {plan.end_date:%d %b %Y}"
    if not isinstance(text, str) or not text.strip():
        return None, RatingProblem("period", "Give the quarter the board rated, e.g. "
                                             "\"2016/17 Q4\".")
    try:
        period = dataset.resolve_asat(text)
    except PeriodError as error:
        return None, RatingProblem("period", f"{error}. Give a quarter such as \"2016/17 Q4\".")
    if not period_in_plan(plan, period):
        return None, RatingProblem("period", f"{period.label} is outside the plan ({span}): "
                                             "give a quarter within it.")
    return period, None


def check_rating(dataset: Dataset, theme_text: str, body, who: str
                 ) -> tuple[BoardRating | None, list[RatingProblem]]:
    """The rating a `POST /api/themes/<n>/rating` body asks to record, or every problem with it
    (each naming its field); nothing is stored unless the list is empty."""
    if not isinstance(body, dict):
        return None, [RatingProblem("body", "Send a JSON object: {\"period\": \"2016/17 Q4\", "
                                            "\"status\": \"AMBER\", \"rationale\": \"...\"}.")]
    problems = []
    theme, problem = _theme_number(dataset, theme_text)
    problems += [problem] if problem else []
    period, problem = _rated_period(dataset, body.get("period"))
    problems += [problem] if problem else []
    raw_status = body.get("status")
    status = raw_status.strip().upper() if isinstance(raw_status, str) else None
    if status not in BOARD_STATUSES:
        problems.append(RatingProblem("status", f"'{raw_status}' is not a rating: use one of "
                                                f"{', '.join(BOARD_STATUSES)}."))
    rationale = body.get("rationale", "")
    if not isinstance(rationale, str):
        problems.append(RatingProblem("rationale", "The rationale must be text."))
        rationale = ""
    rationale = rationale.strip()
    if theme is not None and period is not None and status in BOARD_STATUSES and not rationale:
        suggested = suggest_outcomes(dataset.plan, dataset.kpi_statuses(period),
                                     dataset.action_statuses(period), period)[theme].status
        if suggested.value != status:
            problems.append(RatingProblem(
                "rationale", f"The board's {status} differs from the suggested "
                             f"{suggested.value} for theme {theme} at {period.label}: "
                             "say why in the rationale."))
    if problems:
        return None, problems
    return BoardRating(theme=theme, period=period.label, status=status, rationale=rationale,
                       rated_by=who, rated_at=""), []


def outcomes_by_theme(dataset: Dataset, asat: ReportingPeriod,
                      ratings: Sequence[BoardRating]) -> dict[int, ThemeOutcome]:
    return {o.theme: o for o in theme_outcomes(dataset, asat, ratings)}
