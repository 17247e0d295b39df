"""The check in front of everything: every request, before its view runs, is allowed or refused
here by one decision per route (`ROUTE_DECISIONS`), per page (`access=` on `dash.register_page`)
and per Dash callback (`callbacks.access.protected_callback`). A route, page or callback with no
decision is refused, and tests/security/test_role_matrix.py fails, so nothing new is open by
accident.

Also here: CSRF for every state-changing request made with the session cookie (Flask-WTF; Dash's
own requests carry the token in the X-CSRFToken header, read from the `_csrf_token` cookie by
Dash's renderer: a page on another site can neither read that cookie nor set the header), and the
security headers on every response.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import quote, urlsplit

from flask import current_app, g, jsonify, redirect, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf, validate_csrf
from wtforms import ValidationError

from domain.rules.access import Permission
from runtime.auth import audit, auth_problem, current_principal

OPEN = "open"  # anyone, signed in or not
SIGNED_IN = "signed in"  # anyone signed in, whatever their role
PAGE = "page"  # the Dash page's own decision: dash.register_page(..., access=Permission.X)
CALLBACK = "callback"  # the Dash callback's own decision: protected_callback(Permission.X, ...)


def by_method(**decisions: str) -> Mapping[str, str]:
    """One decision per HTTP method, for an address that serves readers and admins alike
    (`GET /api/plans` lists the plans, `POST /api/plans` imports one); HEAD is decided as GET,
    and a method not named is refused."""
    return MappingProxyType(decisions)


ROUTE_DECISIONS: Mapping[str, str] = MappingProxyType({
    # Signing in, and what the server-rendered sign-in pages need.
    "/login": OPEN,
    "/logout": OPEN,
    "/login/oidc": OPEN,
    "/login/oidc/callback": OPEN,
    "/setup/<secret>": OPEN,
    "/display/<secret>": OPEN,
    "/accessibility": OPEN,  # strangers get the statement rendered on the server
    "/healthz": OPEN,
    "/readyz": OPEN,
    "/assets/<path:filename>": OPEN,
    "/vendor/bootstrap/<path:filename>": OPEN,
    "/_favicon.ico": OPEN,
    # Dash's own routes: a signed-in browser of any role needs them to draw any page.
    "/static/<path:filename>": SIGNED_IN,
    "/_dash-layout": SIGNED_IN,
    "/_dash-dependencies": SIGNED_IN,
    "/_reload-hash": SIGNED_IN,
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": SIGNED_IN,
    "/_dash-update-component": CALLBACK,
    "/": PAGE,
    "/<path:path>": PAGE,
    # The JSON API.
    "/api/kpis": Permission.PRESENT,
    "/api/kpis/<ref>": Permission.PRESENT,
    "/api/kpis/<ref>/commentary": Permission.UPLOAD,
    "/api/actions": Permission.PRESENT,
    "/api/actions/<ref>/progress": Permission.UPLOAD,
    "/api/returns": Permission.UPLOAD,
    "/api/returns/template.csv": Permission.READ,
    "/api/batches/<int:batch_id>/undo": Permission.UNDO,
    "/api/batches/<int:batch_id>/redo": Permission.UNDO,
    "/api/audit": Permission.MANAGE,
    "/api/themes": Permission.PRESENT,
    "/api/themes/<theme>/rating": Permission.MANAGE,
    "/api/periods/<period>/signoff": Permission.MANAGE,
    "/api/plans": by_method(GET=Permission.READ, POST=Permission.MANAGE),
    "/api/plans/<int:plan_id>/current": Permission.MANAGE,
    # Downloads.
    "/export/board-pack.pdf": Permission.READ,
    "/export/<table>.<fmt>": Permission.READ,
    "/export/explore.<fmt>": Permission.READ,
    "/export/kpi/<ref>.<fmt>": Permission.READ,
    "/export/plan.xlsx": Permission.READ,
    "/export/plan-next-year.xlsx": Permission.READ,
})

# Dash's own callback that draws a page when the address changes: decided by the page it draws.
PAGES_ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_COOKIE = "_csrf_token"  # the name Dash's renderer reads (its csrf_token_name default)
DASH_APP_KEY = "DASH_APP"

STRANGER_MESSAGE = "Sign in first: send a session cookie from /login or an API token " \
                   "(Authorization: Bearer TOKEN)."
PROBLEM_MESSAGES = MappingProxyType({
    "token": "The API token is not valid: it is malformed, unknown or revoked.",
    "expired": "Your session ended after a time without activity: sign in again.",
    "ended": "Your session has ended: sign in again.",
    "cookie": "Your session could not be read (it was changed, or the server's key changed): "
              "sign in again.",
})


def install(server, csrf: CSRFProtect) -> None:
    """Put the gate, the CSRF check and the security headers in front of every request."""
    server.config.update(WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None)
    csrf.init_app(server)
    server.before_request(lambda: check_request(csrf))
    server.after_request(add_security_headers)
    server.after_request(refresh_csrf_cookie)
    server.register_error_handler(CSRFError, _csrf_refused)


# --- deciding ------------------------------------------------------------------------------------

def decision_for(rule: str | None, method: str = "GET") -> str | None:
    decision = ROUTE_DECISIONS.get(rule) if rule else SIGNED_IN
    if isinstance(decision, Mapping):
        return decision.get("GET" if method == "HEAD" else method)
    return decision


def page_for_path(path: str) -> dict | None:
    """The registered Dash page a path opens, or None (Dash's 404 page)."""
    import dash  # the page registry: read here, never changed

    clean = "/" + path.strip("/")
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template:
            pattern = re.sub(r"<\w+>", "[^/]+", re.escape(template).replace(r"\<", "<")
                             .replace(r"\>", ">"))
            if re.fullmatch(pattern, clean):
                return page
        elif page["path"] == clean:
            return page
    return None


def page_decision(path: str) -> str | None:
    """What a page needs: its `access`; None when a registered page declares none (refused)."""
    page = page_for_path(path)
    if page is None:
        return SIGNED_IN
    access = page.get("access")
    return str(Permission(access)) if access else None


def callback_decision(output: str | None, body: Mapping) -> str | None:
    """What a Dash callback request needs, from the callback it names."""
    if output == PAGES_ROUTER_OUTPUT:
        pathname = next((i.get("value") for i in body.get("inputs", ())
                         if isinstance(i, Mapping) and i.get("property") == "pathname"), "/")
        return page_decision(pathname or "/")
    app = current_app.config.get(DASH_APP_KEY)
    entry = app.callback_map.get(output) if app is not None and output else None
    function = entry.get("callback") if entry else None
    access = getattr(function, "access", None)
    return str(Permission(access)) if access else None


def _needed(decision: str | None) -> str | None:
    """Resolve PAGE and CALLBACK to what this request needs; None: no decision, refuse."""
    if decision == PAGE:
        return page_decision(request.path)
    if decision == CALLBACK:
        body = request.get_json(silent=True) or {}
        return callback_decision(body.get("output"), body) if isinstance(body, Mapping) else None
    return decision


# --- enforcing -----------------------------------------------------------------------------------

def check_request(csrf: CSRFProtect):
    decision = decision_for(request.url_rule.rule if request.url_rule else None, request.method)
    if decision == OPEN and request.method in SAFE_METHODS:
        return None  # nothing to check, and no database to ask: /healthz answers when it is down
    principal = current_principal()
    if principal is None and decision != OPEN:
        return refuse_stranger(decision)
    if request.method not in SAFE_METHODS and (principal is None or not principal.is_token):
        csrf.protect()  # a bearer token is not sent by a browser on its own: no CSRF to fear
    if decision == OPEN:
        return None
    needed = _needed(decision)
    if needed is None:
        return refuse(decision, "This has no access decision, so it is refused.")
    if needed != SIGNED_IN and not principal.may(needed):
        return refuse(decision, f"Your role ({principal.role}) may not do this.")
    return None


def wants_page(decision: str | None) -> bool:
    return decision == PAGE and request.method == "GET"


def refuse_stranger(decision: str | None):
    problem = auth_problem()
    if wants_page(decision):
        here = request.full_path.rstrip("?") if request.query_string else request.path
        target = f"/login?next={quote(here, safe='')}"
        if problem in PROBLEM_MESSAGES and problem != "token":
            target += f"&reason={problem}"
        return redirect(target)
    response = jsonify({"error": PROBLEM_MESSAGES.get(problem, STRANGER_MESSAGE)})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="improvement plan dashboard"'
    return response


def refuse(decision: str | None, message: str):
    audit("access_refused", f"{request.method} {request.path}", message)
    if wants_page(decision):
        return render_template("forbidden.html", message=message), 403
    return jsonify({"error": message}), 403


def _csrf_refused(error: CSRFError):
    audit("csrf_refused", f"{request.method} {request.path}", error.description,
          principal=g.get("principal"))
    message = ("The request was refused because it did not carry this site's form token "
               "(CSRF): reload the page and try again.")
    if request.accept_mimetypes.accept_html and not request.is_json:
        return render_template("message.html", title="Request refused", message=message), 400
    return jsonify({"error": message}), 400


# --- after every response ------------------------------------------------------------------------

def content_security_policy() -> str:
    """Scripts only from this server, plus Dash's own inline scripts by their hashes. Styles may
    be inline: plotly and Dash's components set style attributes and style elements at run time
    (a style can not run code)."""
    app = current_app.config.get(DASH_APP_KEY)
    hashes = " ".join(app.csp_hashes()) if app is not None else ""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {hashes}".strip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(response):
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def refresh_csrf_cookie(response):
    """A browser signed in with a session gets the CSRF token in a cookie Dash's renderer sends
    back as the X-CSRFToken header (readable by this site's scripts only)."""
    principal = g.get("principal")
    if principal is None or principal.is_token:
        return response
    try:
        validate_csrf(request.cookies.get(CSRF_COOKIE))
        return response
    except ValidationError:
        pass
    response.set_cookie(CSRF_COOKIE, generate_csrf(), httponly=False, samesite="Lax",
                        secure=request.is_secure, path="/")
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """`next` only ever leads to a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
