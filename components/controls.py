"""Labelled filter controls. Every control has a visible label tied to it (WCAG 1.3.1, 3.3.2)."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from components import ids


def labelled_dropdown(control_id: str, label: str, options: Sequence[dict], value,
                      multi: bool = True, placeholder: str = "All",
                      clearable: bool = True) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=control_id, className="form-label", id=ids.label_for(control_id)),
        dcc.Dropdown(id=control_id, options=list(options), value=value, multi=multi,
                     placeholder=placeholder, clearable=clearable, searchable=True),
    ], className="filter-control")


def options(pairs: Sequence[tuple[str, str]]) -> list[dict]:
    """`[(value, label), ...]` -> Dash dropdown options."""
    return [{"value": value, "label": label} for value, label in pairs]


def filter_bar(filter_ids: ids.FilterIds, quarters, asat_slug: str, themes_available, themes,
               people_label: str, people_available, people, statuses,
               status_words) -> html.Div:
    """As-at, theme, person and status controls with the page's `filter_ids`; the same bar on
    the overview and the actions page."""
    return html.Div([
        labelled_dropdown(filter_ids.asat, "As at",
                          options([(q.slug, q.label) for q in reversed(quarters)]), asat_slug,
                          multi=False, clearable=False),
        labelled_dropdown(filter_ids.theme, "Theme",
                          options([(str(t.number), f"{t.number}. {t.title}")
                                   for t in themes_available]), list(themes)),
        labelled_dropdown(filter_ids.person, people_label,
                          options([(p, p) for p in people_available]), list(people)),
        labelled_dropdown(filter_ids.status, "Status",
                          options([(s, s) for s in status_words]), list(statuses)),
    ], className="filter-bar", role="search", **{"aria-label": "Filters"})
