"""A Dash component tree as plain HTML, for the few pages the server renders without Dash (the
accessibility statement for someone not signed in). Only `dash.html` elements and `dcc.Link` are
known; any other component is an error, so nothing is silently left out. Every text and attribute
value is escaped.
"""

from __future__ import annotations

from dash import dcc
from dash.development.base_component import Component
from markupsafe import escape

_ATTRIBUTES = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex"}
_VOID = {"br", "hr", "img", "input", "meta", "link"}


def _attributes(component: Component) -> str:
    parts = []
    for prop, value in component.to_plotly_json()["props"].items():
        if prop == "children" or value is None or prop in {"style", "n_clicks",
                                                            "n_clicks_timestamp"}:
            continue
        name = _ATTRIBUTES.get(prop, prop)
        if value is True:
            parts.append(f" {name}")
        elif value is not False:
            parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def to_html(node) -> str:
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return str(escape(str(node)))
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child) for child in node)
    if isinstance(node, dcc.Link):
        return f'<a href="{escape(node.href)}"{_class(node)}>{to_html(node.children)}</a>'
    if not isinstance(node, Component) or node._namespace != "dash_html_components":  # noqa: SLF001
        raise TypeError(f"{type(node).__name__} can not be rendered without Dash")
    tag = type(node).__name__.lower()
    if tag in _VOID:
        return f"<{tag}{_attributes(node)}>"
    return f"<{tag}{_attributes(node)}>{to_html(getattr(node, 'children', None))}</{tag}>"


def _class(node) -> str:
    name = getattr(node, "className", None)
    return f' class="{escape(name)}"' if name else ""
