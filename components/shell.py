"""The frame around every page: skip link, header with navigation, main landmark, footer."""

from __future__ import annotations

from dash import dcc, html

from components import ids

from domain.rules.access import Permission, may

# Each link with what a role needs to use it: the navigation shows only those the role may use
# (the server checks every page and callback on its own; hiding a link is not the check).
NAV_LINKS = (
    ("Overview", "/", Permission.READ, ids.NAV_OVERVIEW),
    ("Actions", "/actions", Permission.READ, ids.NAV_ACTIONS),
    ("Explore", "/explore", Permission.READ, ids.NAV_EXPLORE),
    ("Data quality", "/data-quality", Permission.READ, ids.NAV_DATA_QUALITY),
    ("Upload", "/upload", Permission.UPLOAD, ids.NAV_UPLOAD),
    ("Plans", "/plans", Permission.MANAGE, ids.NAV_PLANS),
    ("Board pack", "/report", Permission.PRESENT, ids.NAV_REPORT),
    ("Present", "/present", Permission.PRESENT, ids.NAV_PRESENT),
    ("Admin", "/admin/users", Permission.MANAGE, ids.NAV_ADMIN),
)

# What each navigation link carries over from the address of the page on screen, so "Board
# pack" opens the period being looked at (assets/url_sync.js keeps the links up to date).
NAV_CARRIES = {"/": ("asat", "theme"), "/actions": ("asat", "theme"), "/report": ("asat",),
               "/present": ("asat", "theme")}


def _nav_item(label: str, href: str, link_id: str) -> html.Li:
    carries = NAV_CARRIES.get(href)
    data = {"data-path": href, "data-carry": " ".join(carries)} if carries else {}
    return html.Li(dcc.Link(label, href=href, className="nav-link", id=link_id),
                   className="nav-item", **data)


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
              account: html.Div | None = None, plan_switcher=None) -> html.Div:
    """The frame; `role` chooses the navigation links, `account` is `signed_in_as(...)`,
    `plan_switcher` the header's plan switcher (components/plan_switcher.py), if any."""
    links = [(label, href, link_id) for label, href, needs, link_id in NAV_LINKS
             if may(role, needs)]
    home = "/" if may(role, Permission.READ) else "/present"
    return html.Div([
        html.A("Skip to main content", href=f"#{ids.MAIN}", className="skip-link"),
        html.Header([
            html.Nav([
                dcc.Link("Improvement plan dashboard", href=home, className="navbar-brand"),
                html.Ul([_nav_item(label, href, link_id) for label, href, link_id in links],
                        className="navbar-nav flex-row flex-wrap gap-3"),
                account,
            ], className="navbar navbar-expand container-xxl flex-wrap",
                **{"aria-label": "Main"}),
            plan_switcher,
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
