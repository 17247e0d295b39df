"""Small "Download CSV / XLSX" links beside a table or chart, pointing at the /export routes."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html


def download_links(table: str, asat_slug: str | None, what: str,
                   formats: tuple[str, ...] = ("csv", "xlsx"), label: str = "",
                   params: dict | None = None) -> html.P:
    """Links to `/export/<table>.<fmt>?asat=...`, plus `params` (name -> value or values: the
    filters on screen, so the download is what the page shows). The accessible name starts with
    the visible text ("Download CSV", WCAG 2.5.3) and goes on to say what is downloaded."""
    pairs = [(name, value) for name, values in (params or {}).items()
             for value in ([values] if isinstance(values, str) else values or ()) if value]
    pairs += [("asat", asat_slug)] if asat_slug else []
    query = f"?{urlencode(pairs)}" if pairs else ""
    links = []
    for fmt in formats:
        links += [" " if links else "", html.A(
            f"Download {fmt.upper()}", href=f"/export/{table}.{fmt}{query}",
            className=f"download-link download-{fmt}", download="",
            **{"aria-label": f"Download {fmt.upper()}: {what}"})]
    return html.P([f"{label}: " if label else None, *links], className="download-links")
