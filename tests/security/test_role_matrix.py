"""The role matrix, on the server: for a stranger and each role, the outcome of every route in
Flask's URL map, every page in Dash's page registry and every server-side callback in Dash's
callback map. The expectations below are written out by hand, apart from the gate's own tables,
so a change to who may do what has to be made in both places; a route, page or callback the app
gains without an expectation here fails the suite.

| role        | may                                                                       |
| viewer      | read every page, export, GET API                                          |
| contributor | viewer, plus upload                                                       |
| admin       | contributor, plus undo/redo, users, tokens, display links, the audit log  |
| display     | only /present, /report and the read API                                   |
"""

from __future__ import annotations

import json

import pytest

from runtime.gate import OPEN, ROUTE_DECISIONS
from signin import csrf_headers

STRANGER = "stranger"
PRINCIPALS = (STRANGER, "viewer", "contributor", "admin", "display")

EVERYONE = frozenset({"viewer", "contributor", "admin", "display"})
READERS = frozenset({"viewer", "contributor", "admin"})
UPLOADERS = frozenset({"contributor", "admin"})
ADMINS = frozenset({"admin"})
PUBLIC = "public"  # strangers too

# Every Flask route: (method, a URL to try, who may). Pages ("/", "/<path:path>") are below.
ROUTES = {
    "/login": ("GET", "/login", PUBLIC),
    "/logout": ("POST", "/logout", PUBLIC),
    "/login/oidc": ("GET", "/login/oidc", PUBLIC),
    "/login/oidc/callback": ("GET", "/login/oidc/callback", PUBLIC),
    "/setup/<secret>": ("GET", "/setup/not-a-link", PUBLIC),
    "/display/<secret>": ("GET", "/display/not-a-link", PUBLIC),
    "/accessibility": ("GET", "/accessibility", PUBLIC),
    "/healthz": ("GET", "/healthz", PUBLIC),
    "/readyz": ("GET", "/readyz", PUBLIC),
    "/assets/<path:filename>": ("GET", "/assets/app.css", PUBLIC),
    "/vendor/bootstrap/<path:filename>": ("GET", "/vendor/bootstrap/css/bootstrap.min.css",
                                          PUBLIC),
    "/_favicon.ico": ("GET", "/_favicon.ico", PUBLIC),
    "/static/<path:filename>": ("GET", "/static/nothing.txt", EVERYONE),
    "/_dash-layout": ("GET", "/_dash-layout", EVERYONE),
    "/_dash-dependencies": ("GET", "/_dash-dependencies", EVERYONE),
    "/_reload-hash": ("GET", "/_reload-hash", EVERYONE),
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": (
        "GET", "/_dash-component-suites/dash/dcc/dash_core_components.js", EVERYONE),
    "/api/kpis": ("GET", "/api/kpis", EVERYONE),
    "/api/kpis/<ref>": ("GET", "/api/kpis/19a", EVERYONE),
    "/api/kpis/<ref>/commentary": ("POST", "/api/kpis/99z/commentary", UPLOADERS),
    "/api/themes": ("GET", "/api/themes", EVERYONE),
    "/api/themes/<theme>/rating": ("POST", "/api/themes/99/rating", ADMINS),
    "/api/periods/<period>/signoff": ("POST", "/api/periods/2030-31Q1/signoff", ADMINS),
    "/api/actions": ("GET", "/api/actions", EVERYONE),
    "/api/actions/<ref>/progress": ("POST", "/api/actions/9.9.9/progress", UPLOADERS),
    "/api/returns": ("POST", "/api/returns?dry_run=1", UPLOADERS),
    "/api/returns/template.csv": ("GET", "/api/returns/template.csv", READERS),
    "/api/batches/<int:batch_id>/undo": ("POST", "/api/batches/999/undo", ADMINS),
    "/api/batches/<int:batch_id>/redo": ("POST", "/api/batches/999/redo", ADMINS),
    "/api/audit": ("GET", "/api/audit", ADMINS),
    "/export/board-pack.pdf": ("GET", "/export/board-pack.pdf", READERS),
    "/export/<table>.<fmt>": ("GET", "/export/kpis.csv", READERS),
    "/export/explore.<fmt>": ("GET", "/export/explore.csv?kpi=19a", READERS),
    "/export/kpi/<ref>.<fmt>": ("GET", "/export/kpi/19a.csv", READERS),
    "/export/plan.xlsx": ("GET", "/export/plan.xlsx", READERS),
    "/export/plan-next-year.xlsx": ("GET", "/export/plan-next-year.xlsx", READERS),
    # One address, a decision per method (runtime/gate.py's by_method).
    "/api/plans": (("GET", "/api/plans", READERS), ("POST", "/api/plans?dry_run=1", ADMINS)),
    "/api/plans/<int:plan_id>/current": ("POST", "/api/plans/999/current", ADMINS),
}
# Decided per page (below) and per callback (below that).
PAGE_ROUTES = {"/", "/<path:path>"}
CALLBACK_ROUTES = {"/_dash-update-component"}

# Every registered page: who may open it.
PAGES = {
    "/": READERS,
    "/actions": READERS,
    "/explore": READERS,
    "/data-quality": READERS,
    "/kpi/19a": READERS,
    "/theme/2": READERS,
    "/actions/1.1.1": READERS,
    "/upload": UPLOADERS,
    "/present": EVERYONE,
    "/report": EVERYONE,
    "/accessibility": PUBLIC,  # strangers get it rendered on the server
    "/admin/users": ADMINS,
    "/admin/tokens": ADMINS,
    "/admin/displays": ADMINS,
    "/admin/audit": ADMINS,
    "/plans": ADMINS,
}

# A page with a path template is opened at a known address.
TEMPLATE_PATHS = {"/kpi/<ref>": "/kpi/19a", "/theme/<n>": "/theme/2",
                  "/actions/<action>": "/actions/1.1.1"}

# Every server-side callback, by the module and name of its function: who may call it.
CALLBACKS = {
    "pages.overview.on_filter_change": READERS,
    "pages.actions.on_filter_change": READERS,
    "pages.explore.on_explore_change": READERS,
    "pages.kpi._save_commentary": UPLOADERS,
    "pages.action._save_progress": UPLOADERS,
    "pages.present.on_move": EVERYONE,
    "pages.report._sign_off": ADMINS,
    "pages.upload._check": UPLOADERS,
    "pages.upload._commit": UPLOADERS,
    "pages.upload._history": UPLOADERS,
    "pages.upload._open_batch": UPLOADERS,
    "pages.upload._undo_redo": ADMINS,
    "pages.admin_users._submit": ADMINS,
    "pages.admin_users._row": ADMINS,
    "pages.admin_users._list": ADMINS,
    "pages.admin_tokens._submit": ADMINS,
    "pages.admin_tokens._row": ADMINS,
    "pages.admin_tokens._list": ADMINS,
    "pages.admin_displays._submit": ADMINS,
    "pages.admin_displays._row": ADMINS,
    "pages.admin_displays._list": ADMINS,
    "pages.plans._check": ADMINS,
    "pages.plans._commit": ADMINS,
    "pages.plans._act": ADMINS,
    "pages.plans._refresh": ADMINS,
    "dash.dash.update": "by page",  # Dash's own: draws the page the address names
}


# Callbacks that can not run on the empty inputs sent here (they fail after the check passed).
NEEDS_REAL_STATE = {"pages.present.on_move"}


@pytest.fixture
def served(app, client_as, monkeypatch):
    """The app after its first request (Dash fills its callback map then), a client per
    principal, and no real browser for the board pack's PDF."""
    import routes.pdf

    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: None)
    clients = {STRANGER: app.server.test_client()}
    clients.update({role: client_as(role) for role in PRINCIPALS if role != STRANGER})
    clients["admin"].get("/_dash-layout")
    return app, clients


def request_as(client, principal, method, url, **kwargs):
    headers = dict(kwargs.pop("headers", {}))
    if method == "POST" and principal != STRANGER:
        headers.update(csrf_headers(client))
    return client.open(url, method=method, headers=headers, **kwargs)


def assert_outcome(response, principal, allowed, what):
    status = response.status_code
    if allowed == PUBLIC or principal in allowed:
        assert status not in (401, 403), f"{principal} was refused {what}: {status}"
    elif principal == STRANGER:
        assert status in (302, 401), f"a stranger got {status} for {what}"
        if status == 302:
            assert response.headers["Location"].startswith("/login?next=")
    else:
        assert status == 403, f"{principal} got {status} for {what}, expected 403"


# --- every route has a decision and an expectation -----------------------------------------------

def test_every_route_has_a_decision_and_an_expectation(served):
    app, _ = served
    rules = {rule.rule for rule in app.server.url_map.iter_rules()}
    undecided = rules - set(ROUTE_DECISIONS)
    assert not undecided, f"add these to ROUTE_DECISIONS in runtime/gate.py: {undecided}"
    unexpected = rules - set(ROUTES) - PAGE_ROUTES - CALLBACK_ROUTES
    assert not unexpected, f"add what each role gets from these to ROUTES here: {unexpected}"
    open_routes = {rule for rule, decision in ROUTE_DECISIONS.items() if decision == OPEN}
    assert open_routes == {rule for rule, tries in ROUTES.items()
                           if any(who == PUBLIC for _m, _u, who in _tries(tries))}


def _tries(expected) -> tuple:
    """A route's (method, URL, who may) tries: one, or one per method it serves."""
    return expected if isinstance(expected[0], tuple) else (expected,)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_route_gives_each_principal_what_the_matrix_says(served, principal):
    app, clients = served
    rules = {rule.rule for rule in app.server.url_map.iter_rules()}
    # Signing out last: it ends the session the other requests use.
    for rule, expected in sorted(ROUTES.items(), key=lambda r: r[0] == "/logout"):
        if rule not in rules:  # e.g. /healthz before the health checks land
            continue
        for method, url, allowed in _tries(expected):
            response = request_as(clients[principal], principal, method, url,
                                  data=b"kpi_ref,period,value\n19a,2016/17 Q2,1\n"
                                  if rule == "/api/returns" else None)
            assert_outcome(response, principal, allowed, f"{method} {url}")


# --- every page ----------------------------------------------------------------------------------

def test_every_page_has_a_decision_and_an_expectation(served):
    import dash

    from runtime.gate import page_decision

    paths = set()
    for module, page in dash.page_registry.items():
        assert page.get("access"), f"{module}: give dash.register_page an access=Permission"
        template = page.get("path_template")
        path = TEMPLATE_PATHS[template] if template else page["path"]
        paths.add(path)
        assert page_decision(path) == str(page["access"])
    assert paths == set(PAGES), "add what each role gets from a new page to PAGES here"


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_page_gives_each_principal_what_the_matrix_says(served, principal):
    """The page's address, and Dash's own callback that draws the page on navigation."""
    _app, clients = served
    client = clients[principal]
    for path, allowed in PAGES.items():
        assert_outcome(client.get(path), principal, allowed, f"GET {path}")
        drawn = request_as(client, principal, "POST", "/_dash-update-component",
                           json=router_body(path))
        if principal == STRANGER:
            assert drawn.status_code == 401
        else:
            assert_outcome(drawn, principal, allowed, f"drawing {path}")
            if allowed == PUBLIC or principal in allowed:
                assert drawn.status_code == 200, f"drawing {path}: {drawn.status_code}"


def router_body(path: str) -> dict:
    from runtime.gate import PAGES_ROUTER_OUTPUT

    return {"output": PAGES_ROUTER_OUTPUT,
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


# --- every callback ------------------------------------------------------------------------------

def server_callbacks(app) -> dict[str, tuple[str, dict]]:
    """`{module.function: (output key, map entry)}` of every callback run on the server."""
    found = {}
    for key, entry in app.callback_map.items():
        function = entry.get("callback")
        if function is None:  # a clientside callback: it runs in the browser only
            continue
        found[f"{function.__module__}.{function.__name__}"] = (key, entry)
    return found


def test_every_callback_has_a_decision_and_an_expectation(served):
    app, _ = served
    callbacks = server_callbacks(app)
    for name, (_key, entry) in callbacks.items():
        if name == "dash.dash.update":
            continue
        assert getattr(entry["callback"], "access", None), (
            f"{name}: register it with callbacks.access.protected_callback(Permission.X, ...)")
    assert set(callbacks) == set(CALLBACKS), "add what each role gets from it to CALLBACKS here"


def _dependency(spec: dict, value=None):
    if spec["id"].startswith("{"):  # a pattern-matching id: say no component matches
        return []
    return {"id": spec["id"], "property": spec["property"], "value": value}


def callback_body(key: str, entry: dict) -> dict:
    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
               for part in key.strip(".").split("...")] if key.startswith("..") else [
        {"id": key.rsplit(".", 1)[0], "property": key.rsplit(".", 1)[1]}]
    outputs = [o if not o["id"].startswith("{") else {**o, "id": json.loads(o["id"])}
               for o in outputs]
    return {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": [_dependency(i) for i in entry["inputs"]],
            "state": [_dependency(s) for s in entry["state"]], "changedPropIds": []}


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_callback_gives_each_principal_what_the_matrix_says(served, principal):
    app, clients = served
    for name, (key, entry) in server_callbacks(app).items():
        allowed = CALLBACKS[name]
        if allowed == "by page":
            continue  # the pages test above
        response = request_as(clients[principal], principal, "POST", "/_dash-update-component",
                              json=callback_body(key, entry))
        if principal == STRANGER:
            assert response.status_code == 401, name
        else:
            assert_outcome(response, principal, allowed, f"callback {name}")
            if principal in allowed and name not in NEEDS_REAL_STATE:
                assert response.status_code in (200, 204), f"{name}: {response.status_code}"


def test_a_callback_without_a_decision_is_refused(served):
    """Fail closed: a callback registered with plain dash.callback never runs."""
    from runtime.gate import callback_decision

    app, _ = served
    key, entry = next((k, e) for k, e in app.callback_map.items()
                      if e.get("callback") is not None and getattr(e["callback"], "access", None))
    with app.server.test_request_context("/_dash-update-component"):
        assert callback_decision("no-such-output.children", {}) is None
        assert callback_decision(key, {}) == str(entry["callback"].access)
        entry["callback"].access = None  # as if registered with plain dash.callback
        assert callback_decision(key, {}) is None
    admin = served[1]["admin"]
    refused = admin.post("/_dash-update-component", json=callback_body(key, entry),
                         headers=csrf_headers(admin))
    assert refused.status_code == 403 and "no access decision" in refused.get_json()["error"]
