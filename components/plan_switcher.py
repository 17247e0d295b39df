"""The plan switcher (issue 13), in the header of every page: the chosen plan's title and years,
and a link to each plan the dashboard holds. A link is `?plan=ID` on the page being read, so it
opens the same page for that plan; assets/plan_in_url.js keeps `plan=` in the address as a
person moves between pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dash import html

from components import ids


@dataclass(frozen=True)
class PlanChoice:
    plan_id: int
    title: str
    years: str
    is_current: bool


def _name(choice: PlanChoice) -> str:
    return f"{choice.title} ({choice.years})" + (", current plan" if choice.is_current else "")


def plan_switcher(choices: Sequence[PlanChoice], chosen_id: int | None,
                  unknown: str | None = None) -> html.Nav | None:
    """None when there is no plan to show (a store without plans)."""
    chosen = next((c for c in choices if c.plan_id == chosen_id), None)
    if chosen is None:
        return None
    items = [html.Li(html.A(_name(choice), href=f"?plan={choice.plan_id}",
                            id=ids.plan_switcher_choice(choice.plan_id),
                            **({"aria-current": "true"} if choice is chosen else {})))
             for choice in choices]
    return html.Nav([
        html.Details([
            html.Summary([html.Span("Plan: ", className="plan-switcher-label"),
                          html.Strong(chosen.title), f" ({chosen.years})",
                          " (current)" if chosen.is_current else " (not the current plan)"],
                         id=ids.PLAN_SWITCHER_SUMMARY),
            html.Ul(items, className="plan-switcher-list"),
        ], className="plan-switcher-details"),
        html.P(f"There is no plan '{unknown}': showing the current plan.", role="alert",
               id=ids.PLAN_SWITCHER_UNKNOWN, className="plan-switcher-unknown")
        if unknown else None,
    ], id=ids.PLAN_SWITCHER, className="plan-switcher container-xxl",
        **{"aria-label": "Plans"})
