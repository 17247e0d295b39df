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
from signin import start_signed_in

from components import ids

pytestmark = pytest.mark.browser

# A known value for each variable of a path template: `/kpi/<ref>` is opened as `/kpi/19a`.
TEMPLATE_VALUES = {"ref": "19a", "n": "2", "action": "1.1.1"}

# States beyond each page's default view: filters applied through the URL (the same layout the
# filter callbacks return), and the page for a KPI that does not exist.
STATES = {
    "overview filtered by status and theme": "/?status=RED,AMBER&theme=4",
    "actions filtered by status and theme": "/actions?status=RED&theme=6",
    "unknown KPI": "/kpi/99z",
    "KPI as at an earlier period": "/kpi/17a?asat=2016-17Q2",
    "present mode on a theme slide": "/present?slide=3&interval=3600",
    "explore with areas, as % of target": "/explore?kpi=17a&kpi=18a&area=South&view=target",
    "overview as at a period outside the data": "/?asat=2019-20Q1",
    "explore with From after To": "/explore?start=2017-18Q2&end=2016-17Q1",
    "KPI page with the overview's filters": "/kpi/17a?asat=2016-17Q4&theme=4&la=383",
}


def registered_paths() -> dict[str, str]:
    """`{page module: URL to open}` for every page the app registers."""
    import dash

    from app import Settings, create_app

    with tempfile.TemporaryDirectory(prefix="a11y-") as scratch:
        create_app(Settings(data_dir=Path(scratch) / "var"))
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
    WebDriverWait(dash_duo.driver, 60).until(lambda driver: driver.execute_script("""
        const main = document.querySelector('main');
        if (!main || !main.querySelector('h1')) return false;
        if (document.querySelector('[data-dash-is-loading="true"]')) return false;
        return [...document.querySelectorAll('.js-plotly-plot')]
            .every(plot => plot.querySelector('.main-svg'));
    """))


def test_every_page_is_discovered():
    paths = set(registered_paths().values())
    assert {"/", "/actions", "/data-quality", "/kpi/19a", "/theme/2", "/accessibility"} <= paths


def test_page_passes_accessibility_checks(dash_duo, app, page_url):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + page_url)
    wait_until_ready(dash_duo)
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"{page_url}:\n{report}"


# Text that sticks out past the right edge of a 320 px wide page, unless it sits in a container
# that scrolls sideways on its own (a data table may: WCAG 1.4.10 exempts two-dimensional data).
_OVERFLOWING_TEXT = """
const width = document.documentElement.clientWidth;
function scrollsSideways(element) {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && node.scrollWidth > node.clientWidth)
            return true;
    }
    return false;
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const problems = [];
for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.textContent.trim() || !text.parentElement) continue;
    // Hidden on purpose: the skip link waits off screen until focused; .visually-hidden text is
    // clipped to a pixel for screen readers.
    const box = text.parentElement.getBoundingClientRect();
    if (box.right <= 0 || box.left >= width || box.width <= 1) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    for (const rect of range.getClientRects()) {
        if (rect.width > 0 && (rect.right > width + 1 || rect.left < -1)
                && !scrollsSideways(text.parentElement)) {
            problems.push(text.parentElement.tagName + '.' + text.parentElement.className + ': '
                          + text.textContent.trim().slice(0, 60));
            break;
        }
    }
}
return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width,
        problems: problems.slice(0, 10)};
"""


def test_page_reflows_at_320_css_pixels(dash_duo, app, page_url):
    """WCAG 1.4.10: at 320 CSS pixels (1280 px at 400% zoom) the page never scrolls sideways and
    no text is cut off."""
    start_signed_in(dash_duo, app)
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        dash_duo.wait_for_page(url=dash_duo.server_url + page_url)
        wait_until_ready(dash_duo)
        layout = dash_duo.driver.execute_script(_OVERFLOWING_TEXT)
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert layout["clientWidth"] <= 320
    assert layout["scrollWidth"] <= layout["clientWidth"] + 1, f"{page_url} scrolls sideways"
    assert layout["problems"] == [], f"{page_url}: text cut off at 320 px: {layout['problems']}"


def test_open_filter_list_passes_accessibility_checks(dash_duo, app):
    """The dropdown's open list is only in the page while open: check it open."""
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_STATUS}")
    wait_until_ready(dash_duo)
    dash_duo.driver.execute_script("document.getElementById('overview-status').focus()")
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    dash_duo.wait_for_element(".dash-dropdown-content [role=option]")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"open status filter:\n{report}"


def test_upload_report_and_preview_pass_accessibility_checks(dash_duo, app, tmp_path):
    """The states the upload page shows after a file is chosen: the validation report of a
    refused file, then the preview of a good one."""
    refused = tmp_path / "refused.csv"
    refused.write_text("kpi_ref,period,value\n19z,2016/17 Q2,25\n19a,2016/17 Q5,x\n")
    good = tmp_path / "good.csv"
    good.write_text("kpi_ref,period,value\n19a,2016/17 Q2,12.3\n")
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/upload")
    file_input = f"#{ids.UPLOAD_FILE} input[type=file]"
    dash_duo.wait_for_element(file_input)

    dash_duo.find_element(file_input).send_keys(str(refused))
    dash_duo.wait_for_element(f"#{ids.UPLOAD_ERRORS}")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"/upload with a validation report:\n{report}"

    dash_duo.find_element(file_input).send_keys(str(good))
    dash_duo.wait_for_element(f"#{ids.UPLOAD_REVISED}")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"/upload with a preview:\n{report}"


def test_uploaded_comparators_pass_accessibility_checks(dash_duo, app):
    """A KPI page and /explore showing a comparator file uploaded beside the published ones."""
    from domain.ingest.upload import check_upload, commit_upload
    from runtime.context import current_dataset, current_store

    content = (b"kpi_ref,period,comparator,value\n19a,2016/17 Q3,England,22.3\n"
               b"19a,2016/17 Q4,Core cities,21.9\n")
    with app.server.test_request_context("/upload"):
        check = check_upload(content, "comparators.csv", current_dataset().plan, current_store())
        assert commit_upload(check, "Accessibility check", current_store()).committed
    start_signed_in(dash_duo, app)
    for path, chart in (("/kpi/19a", "#kpi-uploaded-comparators-chart"),
                        ("/explore?kpi=19a", "#explore-uploaded-comparators")):
        dash_duo.wait_for_page(url=dash_duo.server_url + path)
        dash_duo.wait_for_element(chart)
        wait_until_ready(dash_duo)
        report = accessibility_report(dash_duo.driver, app.title)
        assert not report, f"{path} with uploaded comparators:\n{report}"


def test_plans_report_preview_switcher_and_history_pass_accessibility_checks(dash_duo, app):
    """/plans with a refused plan's report, then next year's plan previewed (issue 13); then,
    with two plans, the open plan switcher, a KPI page's target history and definitions across
    plans, and a plan that does not exist."""
    corpus = Path(__file__).resolve().parents[1] / "plan_corpus"
    start_signed_in(dash_duo, app, "admin", "/plans")
    file_input = "#plans-file input[type=file]"
    dash_duo.wait_for_element(file_input)
    for name, shown in (("missing_outcome.xlsx", "#plans-errors"),
                        ("next_year.xlsx", "#plans-targets")):
        dash_duo.find_element(file_input).send_keys(str(corpus / name))
        dash_duo.wait_for_element(shown)
        report = accessibility_report(dash_duo.driver, app.title)
        assert not report, f"/plans showing {shown}:\n{report}"
    dash_duo.wait_for_element("#plans-import:not([disabled])").click()
    dash_duo.wait_for_contains_text("#plans-history-table", "plan import")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"/plans with two plans:\n{report}"

    for path in ("/kpi/19b?plan=2", "/?plan=99"):
        dash_duo.wait_for_page(url=dash_duo.server_url + path)
        wait_until_ready(dash_duo)
        dash_duo.find_element("#plan-switcher-summary").click()
        dash_duo.wait_for_element("#plan-switcher-1")
        report = accessibility_report(dash_duo.driver, app.title)
        assert not report, f"{path} with the plan switcher open:\n{report}"
