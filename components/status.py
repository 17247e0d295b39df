"""RAG status badges: each status has its word and a distinct icon shape (domain.rules.rag's
STATUS_DISPLAY), so colour is never the only signal."""

from __future__ import annotations

from dash import html

from domain.rules.rag import Rag


def status_slug(status: Rag | str) -> str:
    """CSS-safe name: `red`, `amber`, `green`, `blue`, `no-data`."""
    return Rag(status).value.lower().replace(" ", "-")


def status_badge(status: Rag | str, extra_class: str = "") -> html.Span:
    status = Rag(status)
    return html.Span(
        [html.Span(status.display.symbol, className="rag-icon", **{"aria-hidden": "true"}),
         html.Span(status.value, className="rag-word")],
        className=f"rag-badge rag-{status_slug(status)} {extra_class}".strip(),
    )


def status_counts(counts: dict, label: str, counts_id: str) -> html.Ul:
    return html.Ul([
        html.Li([html.Span(status.display.symbol, className="rag-icon", **{"aria-hidden": "true"}),
                 html.Span(status.value, className="rag-word"),
                 html.Span(str(count), className="rag-count")],
                className=f"rag-badge rag-{status_slug(status)} count-item")
        for status, count in counts.items()
    ], className="status-counts", id=counts_id, **{"aria-label": label})
