"""Small "Download CSV / XLSX" links beside a table or chart, pointing at the /export routes."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html


def download_links(table: str, asat_slug: str | None, what: str,
                   formats: tuple[str, ...] = ("csv", "xlsx"), **params: str) -> html.P:
    query = urlencode({k: v for k, v in {"asat": asat_slug, **params}.items() if v})
    links = []
    for fmt in formats:
        links += [" " if links else "", html.A(
            f"Download {fmt.upper()}", href=f"/export/{table}.{fmt}" + (f"?{query}" if query else ""),
            className=f"download-link download-{fmt}", download="",
            **{"aria-label": f"Download {what} as {fmt.upper()}"})]
    return html.P(links, className="download-links")
