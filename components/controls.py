"""Labelled filter controls. Every control has a visible label tied to it (WCAG 1.3.1, 3.3.2)."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from components import ids


def labelled_dropdown(control_id: str, label: str, options: Sequence[dict], value,
                      multi: bool = True, placeholder: str = "All",
                      clearable: bool = True, wide: bool = False) -> html.Div:
    """`wide`: the control takes a whole row of its grid (many long choices stay on a line or
    two instead of wrapping in a narrow column)."""
    return html.Div([
        html.Label(label, htmlFor=control_id, className="form-label", id=ids.label_for(control_id)),
        dcc.Dropdown(id=control_id, options=list(options), value=value, multi=multi,
                     placeholder=placeholder, clearable=clearable, searchable=True),
    ], className="filter-control filter-control-wide" if wide else "filter-control")


def options(pairs: Sequence[tuple[str, str]]) -> list[dict]:
    """`[(value, label), ...]` -> Dash dropdown options."""
    return [{"value": value, "label": label} for value, label in pairs]


def filter_bar(filter_ids: ids.FilterIds, asat_choices, asat_slug: str, themes_available, themes,
               people_label: str, people_available, people, statuses,
               status_words) -> html.Div:
    """As-at, theme, person and status controls with the page's `filter_ids`; the same bar on
    the overview and the actions page. `asat_choices` are (slug, words) pairs, latest first
    (domain.rules.dataset.asat_choices)."""
    return html.Div([
        labelled_dropdown(filter_ids.asat, "As at", options(list(asat_choices)), asat_slug,
                          multi=False, clearable=False),
        labelled_dropdown(filter_ids.theme, "Theme",
                          options([(str(t.number), f"{t.number}. {t.title}")
                                   for t in themes_available]), list(themes)),
        labelled_dropdown(filter_ids.person, people_label,
                          options([(p, p) for p in people_available]), list(people)),
        labelled_dropdown(filter_ids.status, "Status",
                          options([(s, s) for s in status_words]), list(statuses)),
    ], className="filter-bar", role="search", **{"aria-label": "Filters"})


def asat_notices(error: str | None, partial: str | None, newer=None,
                 newer_href: str | None = None) -> list:
    """What a page says about its as-at period: that it is not the one asked for (and why),
    that its returns are still arriving, or that a newer, partial period is one click away
    (`newer` is a domain.dataset.QuarterReturns)."""
    notices = []
    if error:
        notices.append(html.Div(error, className="alert alert-warning", role="alert",
                                id=ids.ASAT_ERROR))
    if partial:
        notices.append(html.P(partial, className="asat-note asat-partial", id=ids.ASAT_PARTIAL))
    if newer is not None and newer_href:
        notices.append(html.P([
            f"Returns for {newer.quarter.label} are still arriving ({newer.received} of "
            f"{newer.expected} in), so this page shows the latest complete period. ",
            dcc.Link(f"Show {newer.quarter.label} (partial)", href=newer_href,
                     id=ids.ASAT_NEWER_LINK),
        ], className="asat-note asat-newer", id=ids.ASAT_NEWER))
    return notices


def hidden_inputs(values: dict | None) -> list:
    """Hidden fields that carry a page's other choices through a GET form: name -> a value or
    a list of values; blanks are left out."""
    return [dcc.Input(type="hidden", name=name, value=value)
            for name, given in (values or {}).items()
            for value in ([given] if isinstance(given, str) else given or ()) if value]


def asat_form(action: str, asat_choices, asat_slug: str, hidden: dict | None = None, *,
              form_id: str, select_id: str) -> html.Form:
    """A plain GET form (works without script) choosing the as-at period of a page that has
    no filter bar (/kpi/<ref>, /report); `hidden` carries the page's other choices."""
    return html.Form([
        html.Label("As at", htmlFor=select_id, className="form-label me-2"),
        html.Select([html.Option(words, value=slug, selected=slug == asat_slug)
                     for slug, words in asat_choices], id=select_id, name="asat",
                    className="form-select d-inline-block w-auto me-2"),
        *hidden_inputs(hidden),
        html.Button("Show", type="submit", className="btn btn-outline-primary"),
    ], action=action, method="get", className="asat-form mb-2", id=form_id)
