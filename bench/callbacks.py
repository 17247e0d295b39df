"""Every Dash callback's server time against a no-op callback, at the sample's scale.

    python bench/callbacks.py [--calls 50] [--published-dir DIR]
    python bench/callbacks.py --quick    # CI: each callback once; fails only if one errors

The requests are the browser's own: headless Chromium opens every page (the pages router
callback, once per page) and does what a person does (filters, KPIs and areas on /explore, an
upload, commit, undo, a batch's rows, the next slide), while the server records each callback's
first request body. Each body is then sent `--calls` times to the same app in this process
(Flask's test client: the server's time, no network) and the 95th percentile is compared with
a no-op callback registered on the same app. Commit and undo change the store only the first
time; later calls measure their "nothing to do" answer.

The app needs sign-in: an administrator is made in the benchmark's data folder (`python app.py
users create`), the browser signs in through the form, and the replayed requests carry that
session's cookie and the CSRF header Dash's renderer sends.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (ROOT, Browser, create_admin, machine, print_table,  # noqa: E402
                          published_dir, skip_without_browser)
from bench.pages import QUICK_SETTLE_TIMEOUT_SECONDS, WATCH, app_pages, open_page  # noqa: E402

UPDATE = "/_dash-update-component"
NOOP_OUTPUT = "bench-noop-out.children"
ROUTER = "dash.dash.update"


class Recorder:
    """WSGI middleware keeping the first request body of each callback (and of the pages
    router, per path)."""

    def __init__(self, app):
        self.app = app
        self.wsgi_app = app.server.wsgi_app
        self.bodies: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == UPDATE and environ.get("REQUEST_METHOD") == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            name = callback_name(self.app, json.loads(body))
            with self.lock:
                self.bodies.setdefault(name, body)
        return self.wsgi_app(environ, start_response)


def callback_name(app, body: dict) -> str:
    function = app.callback_map[body["output"]]["callback"]
    name = f"{function.__module__}.{function.__name__}"
    if name == ROUTER:
        pathname = next((i["value"] for i in body["inputs"] if i["property"] == "pathname"), "")
        search = next((i["value"] for i in body["inputs"] if i["property"] == "search"), "")
        name = f"pages router: {pathname}{search or ''}"
    return name


def add_noop(app) -> bytes:
    """A callback that does nothing, on the same app, and a request body for it."""
    from dash import Input, Output

    from domain.rules.access import Permission
    from runtime.auth import require

    def noop(value):
        require(Permission.READ)  # what every callback's guard does (callbacks/access.py)
        return value

    noop.access = Permission.READ  # the gate's decision for it (runtime/gate.py)
    app.callback(Output("bench-noop-out", "children"), Input("bench-noop-in", "value"))(noop)

    return json.dumps({
        "output": NOOP_OUTPUT, "outputs": {"id": "bench-noop-out", "property": "children"},
        "inputs": [{"id": "bench-noop-in", "property": "value", "value": 1}],
        "changedPropIds": ["bench-noop-in.value"], "state": []}).encode()


def serve(app) -> str:
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def set_props(driver, component_id: str, props: dict) -> None:
    """Change a component's props as a person's input would (Dash runs its callbacks)."""
    driver.execute_script("window.dash_clientside.set_props(arguments[0], arguments[1])",
                          component_id, props)


def settle(browser: Browser) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and browser.driver.execute_script(
            "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length"):
        time.sleep(0.1)
    time.sleep(0.5)


def click(browser: Browser, selector: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    element = WebDriverWait(browser.driver, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, selector))[0]
    browser.driver.execute_script("arguments[0].click()", element)  # wherever it is scrolled
    settle(browser)


def use_the_app(browser: Browser, base: str, pages: list[str]) -> list[str]:
    """The pages, then what a person does on the pages with callbacks; the steps that could
    not be done (a callback they trigger is then reported as not exercised, not an error)."""
    driver = browser.driver
    driver.set_script_timeout(120)
    sample = (ROOT / "data" / "sample" / "kpi_returns.csv").read_bytes()
    contents = "data:text/csv;base64," + base64.b64encode(
        sample.replace(b"51.6", b"52.6", 1)).decode()

    def open_page_of(page: str):
        ms, errors = open_page(browser, base + page, QUICK_SETTLE_TIMEOUT_SECONDS)
        if ms is None or errors:
            raise RuntimeError("; ".join(errors) or "did not settle")

    steps = [(page, lambda page=page: open_page_of(page)) for page in pages]
    steps += [
        ("filter the overview", lambda: (open_page(browser, base + "/"), set_props(
            driver, "overview-status", {"value": ["RED", "AMBER"]}), settle(browser))),
        ("filter the actions", lambda: (open_page(browser, base + "/actions"), set_props(
            driver, "actions-status", {"value": ["RED"]}), settle(browser))),
        ("choose KPIs to explore", lambda: (open_page(browser, base + "/explore"), set_props(
            driver, "explore-kpi", {"value": ["17a", "17b", "17c", "18a", "18b"]}),
            settle(browser))),
        ("next slide", lambda: (open_page(browser, base + "/present"),
                                click(browser, "#present-next"))),
        ("upload a file", lambda: (open_page(browser, base + "/upload"), set_props(
            driver, "upload-file", {"contents": contents, "filename": "bench.csv"}),
            settle(browser))),
        ("commit it", lambda: click(browser, "#upload-commit:not([disabled])")),
        ("undo it", lambda: click(
            browser, "#upload-history-table button[aria-label^='Undo batch 3']")),
        ("show a batch's rows", lambda: click(
            browser, "#upload-history-table button[aria-label^='Show rows of batch 1']")),
    ]
    not_done = []
    for name, step in steps:
        try:
            step()
        except Exception as error:  # a step the browser could not do (e.g. under heavy load)
            not_done.append(f"{name}: {type(error).__name__}")
    return not_done


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def signed_in_client(app, cookies: list[dict]):
    """A test client carrying the browser's session (its cookies), and the CSRF header Dash's
    renderer sends with every callback (the token from its `_csrf_token` cookie)."""
    from runtime.gate import CSRF_COOKIE

    client = app.server.test_client()
    for cookie in cookies:
        client.set_cookie(cookie["name"], cookie["value"], path=cookie.get("path", "/"))
    token = next((c["value"] for c in cookies if c["name"] == CSRF_COOKIE), None)
    if token is None:  # not set yet in the browser: the layout request sets it
        client.get("/_dash-layout")
        token = client.get_cookie(CSRF_COOKIE).value
    return client, {"X-CSRFToken": token}


def replay(app, cookies: list[dict], bodies: dict[str, bytes], calls: int
           ) -> tuple[dict, dict]:
    """p95 server seconds per callback, and the callbacks that answered with an error."""
    client, headers = signed_in_client(app, cookies)
    times, errors = {}, {}
    for name, body in bodies.items():
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            response = client.post(UPDATE, data=body, content_type="application/json",
                                   headers=headers)
            samples.append(time.perf_counter() - start)
            if response.status_code not in (200, 204):
                errors[name] = f"HTTP {response.status_code}"
                break
        times[name] = percentile_95(samples)
    return times, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--quick", action="store_true",
                        help="each callback once; exit 1 only if one errors")
    parser.add_argument("--published-dir", type=Path, default=None)
    args = parser.parse_args()
    skipped = skip_without_browser("bench/callbacks.py")
    if skipped is not None:
        return skipped
    calls = 1 if args.quick else args.calls
    published = args.published_dir or published_dir()

    from app import Settings, create_app

    data_dir = Path(tempfile.mkdtemp(prefix="bench-callbacks-"))
    create_admin(data_dir)
    app = create_app(Settings(data_dir=data_dir, published_dir=published))
    noop = add_noop(app)
    recorder = Recorder(app)
    app.server.wsgi_app = recorder
    base = serve(app)
    pages = app_pages(published)
    if args.quick:  # the router once per kind of page; each page's own run is bench/pages.py's
        pages = [page for page in pages if not page.startswith("/kpi/")] + ["/kpi/17a"]
    with Browser(WATCH) as browser:
        cookies = browser.sign_in(base)
        not_done = use_the_app(browser, base, pages)
        cookies = browser.driver.get_cookies() or cookies
    app.server.wsgi_app = recorder.wsgi_app
    bodies = {"no-op callback (floor)": noop, **dict(sorted(recorder.bodies.items()))}
    times, errors = replay(app, cookies, bodies, calls)

    print(f"\n{machine()}; published files: {published or 'the synthetic sample'}")
    print(f"server time of each callback, p95 of {calls} calls (Flask test client)\n")
    floor = times["no-op callback (floor)"]
    rows = [[f"`{name}`", f"{seconds * 1000:.1f}", f"{seconds / floor:.1f}"]
            for name, seconds in times.items()]
    served = {callback_name_of(app, output) for output in app.callback_map
              if app.callback_map[output].get("callback") is not None} - {ROUTER}
    recorded = {name for name in recorder.bodies if not name.startswith("pages router")}
    print_table(["callback", "p95 ms", "x no-op"], rows)
    for name in sorted(served - recorded - {f"{__name__}.noop"}):
        print(f"\nNOT EXERCISED: {name}")
    for step in not_done:
        print(f"\nNOT DONE in the browser: {step}")
    clientside = sum(1 for spec in app.callback_map.values() if spec.get("callback") is None)
    print(f"\n{clientside} clientside callbacks run in the browser (no server time).")
    for name, error in errors.items():
        print(f"\nERROR {name}: {error}")
    return 1 if errors else 0


def callback_name_of(app, output: str) -> str:
    function = app.callback_map[output]["callback"]
    return f"{function.__module__}.{function.__name__}"


if __name__ == "__main__":
    sys.exit(main())
