"""Dash html components as a static HTML document, for pages printed on the server (the board
pack PDF): the same components the browser renders, written out as HTML with every text and
attribute escaped, so Chromium can print them from a file without running Dash or fetching
anything from this server.

Only what a static page needs: html.* elements and dcc.Link (an <a>); other dcc components
(graphs, stores, intervals) have no static form, and only their children are written. (The
sign-in pages the server renders without Dash use `static_html.to_html`, which refuses any
component it cannot write, and no inline styles, which the sign-in pages' policy forbids.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                           "meta", "source", "track", "wbr"})
# Dash's own properties, not HTML attributes.
_DASH_PROPS = frozenset({"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks",
                         "loading_state", "key", "setProps", "refresh", "target_blank"})
_RENAMED = {"className": "class", "htmlFor": "for"}
_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*\Z")


def _attribute_name(name: str) -> str:
    if name in _RENAMED:
        return _RENAMED[name]
    return name if name.startswith(("aria-", "data-")) else name.lower()


def _style(style: dict) -> str:
    def kebab(name: str) -> str:
        return re.sub(r"[A-Z]", lambda m: "-" + m.group().lower(), name)
    return "; ".join(f"{kebab(str(k))}: {v}" for k, v in style.items())


def _attributes(props: dict) -> str:
    parts = []
    for name, value in props.items():
        if name in _DASH_PROPS or value is None or value is False:
            continue
        if name == "id" and not isinstance(value, str):  # a pattern-matching id: no HTML form
            continue
        attribute = _attribute_name(name)
        if not _SAFE_NAME.match(attribute):
            continue
        if value is True:
            parts.append(f" {attribute}")
            continue
        text = _style(value) if name == "style" and isinstance(value, dict) else str(value)
        parts.append(f' {attribute}="{escape(text, quote=True)}"')
    return "".join(parts)


def to_html(node) -> str:
    """A component tree (components, strings, numbers, lists) as HTML."""
    if node is None or node is False:
        return ""
    if isinstance(node, str):
        return escape(node, quote=False)
    if isinstance(node, (int, float)):
        return escape(str(node), quote=False)
    if isinstance(node, Iterable) and not hasattr(node, "to_plotly_json"):
        return "".join(to_html(item) for item in node)
    description = node.to_plotly_json()
    props = description.get("props", {})
    children = to_html(props.get("children"))
    namespace, kind = description.get("namespace"), description.get("type", "")
    if namespace == "dash_html_components":
        tag = kind.lower()
    elif namespace == "dash_core_components" and kind == "Link":
        tag = "a"
    else:
        return children
    if tag in VOID_ELEMENTS:
        return f"<{tag}{_attributes(props)}>"
    return f"<{tag}{_attributes(props)}>{children}</{tag}>"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for a custom property that `content:` reads)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", " ", escaped) + '"'


def static_page(body, title: str, stylesheets: Iterable[str], lang: str = "en-GB",
                root_properties: dict[str, str] | None = None) -> str:
    """A whole HTML document: the stylesheets' text inline (nothing to fetch), then `body`.
    `root_properties`: CSS custom properties set on the root element."""
    styles = "\n".join(f"<style>{css}</style>" for css in stylesheets)
    root_style = _attributes({"style": root_properties}) if root_properties else ""
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}"{root_style}><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>{styles}</head>"
            f'<body><main id="main" class="container-xxl py-3">{to_html(body)}</main>'
            "</body></html>")
