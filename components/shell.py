"""The frame around every page: skip link, header with navigation, main landmark, footer."""

from __future__ import annotations

from dash import dcc, html

NAV_LINKS = (
    ("Overview", "/"),
    ("Actions", "/actions"),
    ("Explore", "/explore"),
    ("Data quality", "/data-quality"),
    ("Upload", "/upload"),
    ("Board pack", "/report"),
    ("Present", "/present"),
)

# What each navigation link carries over from the address of the page on screen, so "Board
# pack" opens the period being looked at (assets/url_sync.js keeps the links up to date).
NAV_CARRIES = {"/": ("asat", "theme"), "/actions": ("asat", "theme"), "/report": ("asat",),
               "/present": ("asat", "theme")}


def nav_link_id(href: str) -> str:
    return "nav-" + (href.strip("/") or "overview")


def _nav_item(label: str, href: str) -> html.Li:
    carries = NAV_CARRIES.get(href)
    data = {"data-path": href, "data-carry": " ".join(carries)} if carries else {}
    return html.Li(dcc.Link(label, href=href, className="nav-link", id=nav_link_id(href)),
                   className="nav-item", **data)


# Links every page carries in its footer, as GOV.UK services do.
FOOTER_LINKS = (
    ("Accessibility statement", "/accessibility"),
)


def sample_banner() -> html.Div:
    return html.Div(
        [html.Strong("Sample data. "),
         "The values shown are synthetic sample returns, not real performance figures."],
        className="sample-banner", role="note", id="sample-banner")


def app_shell(page_container, is_sample: bool = True) -> html.Div:
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        html.Header([
            html.Nav([
                dcc.Link("Improvement plan dashboard", href="/", className="navbar-brand"),
                html.Ul([_nav_item(label, href) for label, href in NAV_LINKS],
                        className="navbar-nav flex-row flex-wrap gap-3"),
            ], className="navbar navbar-expand container-xxl flex-wrap",
                **{"aria-label": "Main"}),
            # Inside the banner landmark, so no page content sits outside a landmark.
            sample_banner() if is_sample else None,
        ], className="site-header"),
        html.Main(page_container, id="main", className="container-xxl py-3", tabIndex="-1"),
        html.Footer([
            html.P("Children's services improvement plan dashboard."),
            html.Ul([html.Li(dcc.Link(label, href=href)) for label, href in FOOTER_LINKS],
                    className="footer-links"),
        ], className="site-footer container-xxl"),
    ])
