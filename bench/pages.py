"""Every page in headless Chromium against a floor: a Dash page holding one plotly graph.

    python bench/pages.py [--repeat 5] [--published-dir DIR] [--page /explore ...]
    python bench/pages.py --quick      # CI: every page once; fails only on an error or a page
                                       # that never settles (120 s), never on time

The app needs sign-in: the benchmark makes an administrator in its data folder
(`python app.py users create`), signs in through the form once and carries the session cookie
into each fresh profile before opening a page (bench/common.py); the floor needs none.

Each page is opened in a fresh Chromium profile (a first visit: nothing cached) and timed from
navigation start until its content stopped changing: the last change to the page's DOM (a
MutationObserver installed before the page's own scripts) followed by a quiet second with no
Dash callback pending. Dash's own marks of a callback in flight and elements with role="timer"
(the /present clock) are not content. The floor
is timed by the same rule in the same run. Best of `--repeat` per page, rounds interleaved so
a busy moment on the machine does not land on one page.

A page errors when any response (the page, a script, a Dash request) is 4xx/5xx, or the
browser logs a SEVERE message or an uncaught exception.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (ROOT, Browser, Server, app_server, machine,  # noqa: E402
                          print_table, published_dir, skip_without_browser)

QUIET_SECONDS = 1.0
SETTLE_TIMEOUT_SECONDS = 30.0
# --quick fails only on a page that errors or never settles, never on a slow one: on a loaded
# CI machine a page gets this long before it counts as never settling.
QUICK_SETTLE_TIMEOUT_SECONDS = 120.0

# Installed before any script of the page: the time (ms from navigation start) of the last DOM
# change outside a timer, and uncaught errors.
WATCH = """
window.__bench = {last: 0, errors: []};
function isBookkeeping(m) {
  // Dash marks a callback in flight with an attribute and a #_dash-loading-callback node.
  if (m.type === 'attributes') return m.attributeName === 'data-dash-is-loading';
  if (m.type !== 'childList') return false;
  // (an empty div straight under #react-entry-point; its id may be gone once it is removed)
  const nodes = Array.from(m.addedNodes).concat(Array.from(m.removedNodes));
  return nodes.length > 0 && nodes.every(n => n.id === '_dash-loading-callback' ||
      (m.target.id === 'react-entry-point' && n.nodeName === 'DIV' && !n.firstChild));
}
new MutationObserver(function (mutations) {
  for (const m of mutations) {
    const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    if (isBookkeeping(m) || (node && node.closest && node.closest('[role="timer"]'))) continue;
    window.__bench.last = performance.now();
    return;
  }
}).observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
window.addEventListener('error', function (e) { window.__bench.errors.push(String(e.message)); });
"""

STATE = """
const resources = performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'));
return {
  now: performance.now(), last: window.__bench ? window.__bench.last : 0,
  errors: window.__bench ? window.__bench.errors : ['the watch script did not run'],
  ready: document.readyState === 'complete',
  loading: document.querySelectorAll('[data-dash-is-loading="true"]').length,
  content: document.body ? document.body.innerText.trim().length : 0,
  failed: resources.filter(r => r.responseStatus >= 400)
      .map(r => r.responseStatus + ' ' + r.name)
};
"""


def app_pages(published: Path | None) -> list[str]:
    """Every page of the app: each KPI's and each theme's, /explore by default and with its
    five default KPIs and their areas, and the administrator's pages."""
    from app import Settings
    from domain.ingest.register import load_dataset
    from domain.views.explore import DEFAULT_KPIS, area_choices

    settings = Settings(published_dir=published)
    dataset = load_dataset(settings.plan_dir, settings.returns_path, settings.progress_path,
                           is_sample=True)
    areas = area_choices(dataset, DEFAULT_KPIS)
    explore_areas = "".join(f"&area={area}" for area in areas)
    return ["/", *[f"/kpi/{kpi.ref}" for kpi in dataset.plan.kpis],
            *[f"/theme/{theme.number}" for theme in dataset.plan.themes], "/explore",
            f"/explore?kpi={','.join(DEFAULT_KPIS)}{explore_areas}", "/actions",
            "/data-quality", "/upload", "/report", "/present", "/accessibility",
            "/admin/users", "/admin/tokens", "/admin/displays", "/admin/audit"]


def open_page(browser: Browser, url: str, timeout: float = SETTLE_TIMEOUT_SECONDS
              ) -> tuple[float | None, list[str]]:
    """(milliseconds until the content stopped changing, or None if it did not within
    `timeout` seconds; errors)."""
    from selenium.common.exceptions import WebDriverException

    driver = browser.driver
    try:
        driver.get(url)
    except WebDriverException as error:  # the page did not even load
        return None, [f"{type(error).__name__}: {error.msg}"]
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        try:
            state = driver.execute_script(STATE)
        except WebDriverException:  # busy (a long task in the page): ask again
            time.sleep(0.5)
            continue
        quiet = (state["now"] - state["last"]) / 1000 >= QUIET_SECONDS
        if state["ready"] and quiet and not state["loading"] and state["content"]:
            break
        time.sleep(0.1)
    else:
        state["last"] = None
    errors = list(state.get("errors", [])) + list(state.get("failed", []))
    if "/login" in driver.current_url and "/login" not in url:
        errors.append(f"sent to the sign-in page ({driver.current_url}): not signed in")
    errors += [entry["message"] for entry in driver.get_log("browser")
               if entry["level"] == "SEVERE"]
    return state.get("last"), errors


def run(base: str, floor: str, pages: list[str], repeat: int, quick: bool
        ) -> tuple[dict, dict]:
    """Best time per page (and the floor, key None) and the errors found."""
    targets = [(None, floor + "/")] + [(page, base + page) for page in pages]
    best: dict[str | None, float | None] = {}
    errors: dict[str | None, list[str]] = {}

    timeout = QUICK_SETTLE_TIMEOUT_SECONDS if quick else SETTLE_TIMEOUT_SECONDS

    def measure(browser: Browser, page, url):
        ms, found = open_page(browser, url, timeout)
        if found:
            errors.setdefault(page, []).extend(found)
        if ms is None:
            errors.setdefault(page, []).append(f"did not settle in {timeout:g} s")
        elif best.get(page) is None or ms < best[page]:
            best[page] = ms
        best.setdefault(page, None)

    with Browser() as browser:
        cookies = browser.sign_in(base)
    if quick:  # one fresh profile for the run: this checks that pages render, not their time
        with Browser(WATCH) as browser:
            measure(browser, None, floor + "/")
            browser.use_cookies(base, cookies)
            for page, url in targets[1:]:
                measure(browser, page, url)
        return best, errors
    for round_number in range(repeat):
        for page, url in targets:
            with Browser(WATCH) as browser:  # a fresh profile for every load
                if page is not None:
                    browser.use_cookies(base, cookies)
                measure(browser, page, url)
        print(f"round {round_number + 1} of {repeat} done", file=sys.stderr)
    return best, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="every page once; exit 1 only if a page errors or never settles")
    parser.add_argument("--published-dir", type=Path, default=None)
    parser.add_argument("--page", action="append", help="only these pages (repeatable)")
    args = parser.parse_args()
    skipped = skip_without_browser("bench/pages.py")
    if skipped is not None:
        return skipped
    published = args.published_dir or published_dir()
    pages = args.page or app_pages(published)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        with app_server(data_dir, published) as app, \
                Server([str(ROOT / "bench" / "floor_app.py")]) as floor:
            app.wait(), floor.wait()
            best, errors = run(app.url, floor.url, pages, args.repeat, args.quick)
            memory = app.memory_mb()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    floor_ms = best.get(None)
    print(f"\n{machine()}; published files: {published or 'the synthetic sample'}")
    print(f"{'one load each' if args.quick else f'best of {args.repeat}'}, fresh profile, "
          f"until the content stopped changing ({QUIET_SECONDS:g} s quiet)\n")
    rows = [["floor: one plotly graph", _ms(floor_ms), "1.0"]]
    rows += [[f"`{page}`", _ms(best.get(page)),
              f"{best[page] / floor_ms:.1f}" if best.get(page) and floor_ms else "-"]
             for page in pages]
    print_table(["page", "ms", "x floor"], rows)
    print(f"\nThe app's server process after every page: {memory['VmRSS']:.0f} MB resident "
          f"(peak {memory['VmHWM']:.0f} MB).")
    for page, found in errors.items():
        print(f"\nERROR {page or 'floor'}:", *sorted(set(found)), sep="\n  ")
    return 1 if errors else 0


def _ms(value: float | None) -> str:
    return "never settled" if value is None else f"{value:,.0f}"


if __name__ == "__main__":
    sys.exit(main())
