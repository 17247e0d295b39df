"""The frame around every page: skip link, header with navigation, main landmark, footer."""

from __future__ import annotations

from dash import dcc, html

from components import ids

from domain.rules.access import Permission, may

# Each link with what a role needs to use it: the navigation shows only those the role may use
# (the server checks every page and callback on its own; hiding a link is not the check).
NAV_LINKS = (
    ("Overview", "/", Permission.READ),
    ("Actions", "/actions", Permission.READ),
    ("Explore", "/explore", Permission.READ),
    ("Data quality", "/data-quality", Permission.READ),
    ("Upload", "/upload", Permission.UPLOAD),
    ("Board pack", "/report", Permission.PRESENT),
    ("Present", "/present", Permission.PRESENT),
    ("Admin", "/admin/users", Permission.MANAGE),
)

# Links every page carries in its footer, as GOV.UK services do.
FOOTER_LINKS = (
    ("Accessibility statement", "/accessibility"),
)


def sample_banner() -> html.Div:
    return html.Div(
        [html.Strong("Sample data. "),
         "The values shown are synthetic sample returns, not real performance figures."],
        className=ids.SAMPLE_BANNER, role="note", id=ids.SAMPLE_BANNER)


def signed_in_as(who: str, role: str, csrf_token: str) -> html.Div:
    """Who is signed in, and the sign-out button (a form: signing out changes state, so it is a
    POST carrying the CSRF token)."""
    return html.Div([
        html.Span(f"Signed in as {who} ({role})", id=ids.SIGNED_IN_AS),
        html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=csrf_token, id=ids.SIGN_OUT_CSRF),
            html.Button("Sign out", type="submit", className="btn btn-link", id=ids.SIGN_OUT),
        ], method="post", action="/logout"),
    ], className="signed-in")


def app_shell(page_container, is_sample: bool = True, role: str | None = None,
              account: html.Div | None = None) -> html.Div:
    """The frame; `role` chooses the navigation links, `account` is `signed_in_as(...)`."""
    links = [(label, href) for label, href, needs in NAV_LINKS if may(role, needs)]
    home = "/" if may(role, Permission.READ) else "/present"
    return html.Div([
        html.A("Skip to main content", href=f"#{ids.MAIN}", className="skip-link"),
        html.Header([
            html.Nav([
                dcc.Link("Improvement plan dashboard", href=home, className="navbar-brand"),
                html.Ul([html.Li(dcc.Link(label, href=href, className="nav-link"),
                                 className="nav-item") for label, href in links],
                        className="navbar-nav flex-row flex-wrap gap-3"),
                account,
            ], className="navbar navbar-expand container-xxl flex-wrap",
                **{"aria-label": "Main"}),
            # Inside the banner landmark, so no page content sits outside a landmark.
            sample_banner() if is_sample else None,
        ], className="site-header"),
        html.Main(page_container, id=ids.MAIN, className="container-xxl py-3", tabIndex="-1"),
        html.Footer([
            html.P("Children's services improvement plan dashboard."),
            html.Ul([html.Li(dcc.Link(label, href=href)) for label, href in FOOTER_LINKS],
                    className="footer-links"),
        ], className="site-footer container-xxl"),
    ])
