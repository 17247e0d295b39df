"""The frame around every page: skip link, header with navigation, main landmark, footer."""

from __future__ import annotations

from dash import dcc, html

NAV_LINKS = (
    ("Overview", "/"),
    ("Actions", "/actions"),
    ("Explore", "/explore"),
    ("Data quality", "/data-quality"),
    ("Upload", "/upload"),
    ("Plans", "/plans"),
    ("Board pack", "/report"),
    ("Present", "/present"),
)

# Links every page carries in its footer, as GOV.UK services do.
FOOTER_LINKS = (
    ("Accessibility statement", "/accessibility"),
)


def sample_banner() -> html.Div:
    return html.Div(
        [html.Strong("Sample data. "),
         "The values shown are synthetic sample returns, not real performance figures."],
        className="sample-banner", role="note", id="sample-banner")


def app_shell(page_container, is_sample: bool = True, plan_switcher=None) -> html.Div:
    """`plan_switcher`: the header's plan switcher (components/plan_switcher.py), if any."""
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        html.Header([
            html.Nav([
                dcc.Link("Improvement plan dashboard", href="/", className="navbar-brand"),
                html.Ul([html.Li(dcc.Link(label, href=href, className="nav-link"),
                                 className="nav-item") for label, href in NAV_LINKS],
                        className="navbar-nav flex-row flex-wrap gap-3"),
            ], className="navbar navbar-expand container-xxl flex-wrap",
                **{"aria-label": "Main"}),
            plan_switcher,
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
