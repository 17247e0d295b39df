"""Issue 18: each user's journey end to end in headless Chromium, and the browser side of the
fixes (items 1, 3, 4, 6, 8 and 13).

- The Head of Service's question: how are caseloads (17a-c) and turnover and vacancies (18a-b)
  going, against what, and how do we compare?
- The performance officer's quarter: template, fill, upload, fix, commit, undo.
- The meeting: the display on the screen, then the printed pack.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import requests
from dash.testing.wait import until
from signin import start_signed_in

pytestmark = pytest.mark.browser

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The 18 KPIs whose charts carry the fewest action milestones: enough to break the old spacing.
EIGHTEEN = ("19a", "19b", "19c", "11", "14", "10", "12a", "12b", "8", "9a", "9b", "15", "5b",
            "16", "4", "5a", "13", "3a")


def _get(dash_duo, url: str) -> requests.Response:
    """GET as the browser's signed-in user (its session cookie)."""
    cookies = {c["name"]: c["value"] for c in dash_duo.driver.get_cookies()}
    response = requests.get(url, timeout=120, cookies=cookies)
    assert response.status_code == 200, response.text[:300]
    return response


def _href(dash_duo, selector: str) -> str:
    return dash_duo.find_element(selector).get_attribute("href")


def _upload(dash_duo, path: Path) -> None:
    dash_duo.find_element("#upload-file input[type=file]").send_keys(str(path))


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext, from Debian's poppler-utils)."""
    if shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("CI=true but pdftotext is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils); runs in CI")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    return text.split("\f")[:-1]


# Text cut off by the box it is in, and a slide whose content runs past its bottom edge.
_CUT_TEXT = """
const cut = [...document.querySelectorAll(arguments[0])]
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map(e => e.textContent.trim());
const slide = document.querySelector('.present-slide');
return {cut: cut, overflow: slide.scrollHeight - slide.clientHeight};
"""


# --- item 1: any number of KPIs on /explore ------------------------------------------------------

def test_explore_draws_eighteen_kpis_with_a_loading_indicator(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/explore?kpi=" + ",".join(EIGHTEEN))
    dash_duo.wait_for_text_to_equal("#explore-status", "18 KPIs, small multiples.", timeout=120)
    dash_duo.wait_for_element("#explore-chart .main-svg", timeout=60)
    titles = [e.get_attribute("textContent")
              for e in dash_duo.find_elements("#explore-chart .annotation-text")]
    assert [t.split(":")[0] for t in titles if ":" in t] == list(EIGHTEEN)
    # The body sits in a loading wrapper, so a spinner shows while the server draws.
    assert dash_duo.find_element("#explore-loading")
    assert dash_duo.get_logs() == []


# --- item 3: an as-at outside the data -----------------------------------------------------------

@pytest.mark.parametrize("page", ["/", "/actions", "/kpi/17a", "/report", "/present"])
def test_an_asat_outside_the_data_says_so_and_shows_the_nearest_period(dash_duo, app, page):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}{page}?asat=2019-20Q1&interval=3600")
    selector = ".present-warning" if page == "/present" else "#asat-error"
    dash_duo.wait_for_contains_text(selector, "There are no returns for 2019/20 Q1 yet: "
                                              "showing the nearest period with returns, "
                                              "2017/18 Q2, instead.")
    if page in ("/", "/actions"):
        prefix = "overview" if page == "/" else "actions"
        assert "2017/18 Q2" in dash_duo.find_element(f"#{prefix}-asat").text
        assert "as at 2017/18 Q2" in dash_duo.find_element(f"#{prefix}-summary").text
    assert dash_duo.get_logs() == []


# --- item 4: the KPI page keeps the period and the filters ---------------------------------------

def test_compare_back_and_board_pack_keep_the_period_and_filters(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/?theme=5&asat=2016-17Q4")
    dash_duo.wait_for_contains_text("#overview-summary", "as at 2016/17 Q4")
    link = next(e for e in dash_duo.find_elements(".kpi-tile .kpi-link")
                if e.text.startswith("18a "))
    assert link.get_attribute("href").endswith("/kpi/18a?asat=2016-17Q4&theme=5")
    link.click()
    dash_duo.wait_for_contains_text("#kpi-status", "Status as at 2016/17 Q4")

    # Compare as Leeds: the period stays, and the page comes back to the comparators.
    dash_duo.wait_for_element("#kpi-la")
    dash_duo.driver.execute_script(
        "document.getElementById('kpi-la').value = '383';"
        "document.querySelector('.authority-form button').click();")
    until(lambda: "la=383" in dash_duo.driver.current_url, timeout=20)
    url = dash_duo.driver.current_url
    assert "asat=2016-17Q4" in url and "theme=5" in url and url.endswith("#kpi-comparators")
    dash_duo.wait_for_contains_text("#kpi-status", "Status as at 2016/17 Q4")
    until(lambda: dash_duo.driver.execute_script("return window.scrollY") > 300, timeout=20)

    # The board pack link carries the period.
    until(lambda: _href(dash_duo, "#nav-report").endswith("/report?asat=2016-17Q4"), timeout=10)

    # Back to the overview: the same theme and period.
    dash_duo.find_element("#kpi-back-link").click()
    dash_duo.wait_for_contains_text("#overview-summary", "as at 2016/17 Q4")
    headings = [e.text for e in dash_duo.find_elements(".theme-section h2")]
    assert headings == ["Theme 5: Workforce"]

    dash_duo.find_element("#nav-report").click()
    dash_duo.wait_for_text_to_equal("#report-asat", "2016/17 Q4")
    assert dash_duo.get_logs() == []


def test_a_kpi_ref_in_capitals_opens_the_kpi(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/17A")
    dash_duo.wait_for_contains_text("h1", "Area social work unit average caseload")


def test_kpi_and_report_have_an_asat_control(dash_duo, app):
    start_signed_in(dash_duo, app)
    for page, shown in (("/kpi/19a", "#kpi-status"), ("/report", "#report-asat")):
        dash_duo.wait_for_page(url=dash_duo.server_url + page)
        form = "kpi-asat-form" if page.startswith("/kpi") else "report-asat-form"
        dash_duo.wait_for_element(f"#{form}-asat")
        dash_duo.driver.execute_script(
            f"document.getElementById('{form}-asat').value = '2016-17Q3';"
            f"document.querySelector('#{form} button').click();")
        until(lambda: "asat=2016-17Q3" in dash_duo.driver.current_url, timeout=20)
        dash_duo.wait_for_contains_text(shown, "2016/17 Q3")


# --- item 6: nothing drawn without a reason ------------------------------------------------------

def test_explore_explains_a_backwards_range_and_an_unknown_kpi(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/explore?start=2017-18Q2&end=2016-17Q1")
    dash_duo.wait_for_contains_text("#explore-body", "From (2017/18 Q2) is after To (2016/17 Q1)")
    assert dash_duo.find_elements("#explore-chart") == []
    assert "2017/18 Q2" in dash_duo.find_element("#explore-from").text

    dash_duo.wait_for_page(url=dash_duo.server_url + "/explore?kpi=99z")
    dash_duo.wait_for_contains_text("#explore-body", "Not in the plan: 99z. Showing the "
                                                     "default KPIs instead.")
    picker = dash_duo.find_element("#explore-kpi").text
    assert all(ref in picker for ref in ("17a", "17b", "17c", "18a", "18b"))
    dash_duo.wait_for_text_to_equal("#explore-status", "5 KPIs, small multiples.")


# --- the Head of Service's question about 17a-c and 18a-b ---------------------------------------

def test_head_of_service_journey(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_element(".kpi-tile")
    dash_duo.find_element("#nav-explore").click()
    dash_duo.wait_for_text_to_equal("#explore-status", "5 KPIs, small multiples.", timeout=60)

    # Areas beside the totals; the table names the latest values.
    dash_duo.select_dcc_dropdown("#explore-area", value="South")
    dash_duo.wait_for_contains_text("#explore-table", "South", timeout=60)
    until(lambda: "area=South" in dash_duo.driver.current_url, timeout=10)
    # Comparators for caseloads too, named in words with how the definitions differ.
    notes = dash_duo.find_element("#explore-body").text
    assert "KPI 17a comparators" in notes and "Indicative comparator" in notes
    assert "caseload_fte" not in notes and "turnover_rate_fte" not in notes

    # One chart as % of target, saying which side of 100% is better.
    dash_duo.select_dcc_dropdown("#explore-mode", value="One chart, % of target")
    dash_duo.wait_for_text_to_equal("#explore-status", "5 KPIs, as % of target.", timeout=60)
    dash_duo.wait_for_contains_text("#explore-target-note", "below 100% of the target is better")
    legend = dash_duo.find_element("#explore-chart").text
    assert "17a South" in legend and "lower is better" in legend

    # The data behind the charts downloads for the same choices.
    download = _href(dash_duo, "#explore-body .download-csv")
    frame = pd.read_csv(io.BytesIO(_get(dash_duo, download).content))
    assert set(frame["KPI"]) == {"17a", "17b", "17c", "18a", "18b"}
    assert "South" in set(frame["Series"])

    # 18a's page: turnover against England and neighbours, as a named comparator.
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/18a")
    dash_duo.wait_for_contains_text("#kpi-comparators",
                                    "Turnover rate, DfE children's social work workforce")
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/17a")
    dash_duo.wait_for_contains_text("#comparator-note-0", "Indicative comparator")
    assert dash_duo.get_logs() == []


# --- the performance officer's quarter -----------------------------------------------------------

def test_performance_officer_quarter(dash_duo, app, dataset, tmp_path):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/upload")
    dash_duo.wait_for_element("#upload-history-table")

    # The template is for the period due, a row per missing return.
    link = dash_duo.find_element("#upload-template-link")
    assert "2017/18 Q3" in link.text
    answer = _get(dash_duo, link.get_attribute("href"))
    template = list(csv.DictReader(io.StringIO(answer.text)))
    assert {r["period"] for r in template} >= {"2017/18 Q3"}

    # Fill in a few: a typo in a value, a misspelt area; leave the rest blank.
    def fill(values):
        rows = [dict(r) for r in template]
        for r in rows:
            key = (r["kpi_ref"], r["area"])
            if r["period"] == "2017/18 Q3" and key in values:
                r["value"] = values[key]
        rows.append({**rows[0], "kpi_ref": "17a", "area": "Nroth", "value": "59.0",
                     "period": "2017/18 Q3"})
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(template[0]))
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    first = tmp_path / "returns 2017-18 Q3.csv"
    first.write_text(fill({("19a", ""): "25.1", ("17a", ""): "sixty", ("18a", ""): "13.2"}))
    _upload(dash_duo, first)
    dash_duo.wait_for_element("#upload-errors")
    errors = dash_duo.find_element("#upload-errors").text
    assert "not_a_number" in errors and "sixty" in errors
    warnings = dash_duo.find_element("#upload-warnings").text
    assert "did you mean North?" in warnings and "blank_value_skipped" in warnings
    assert dash_duo.find_element("#upload-commit").get_attribute("disabled") is not None

    # Fixed: the preview shows what each value is, in what unit, and the value before it.
    fixed = tmp_path / "returns 2017-18 Q3 fixed.csv"
    fixed.write_text(fill({("19a", ""): "25.1", ("17a", ""): "66.0", ("18a", ""): "13.2"}))
    _upload(dash_duo, fixed)
    dash_duo.wait_for_element("#upload-new")
    preview = dash_duo.find_element("#upload-new").text
    assert "Area social work unit average caseload" in preview
    assert "cases per worker" in preview and "67.2 (2017/18 Q2)" in preview
    dash_duo.wait_for_element("#upload-commit:not([disabled])").click()
    dash_duo.wait_for_contains_text("#upload-message", "Stored as batch 4: 4 new values")

    # The dashboard stays on the complete quarter; the partial one is a click away.
    dash_duo.wait_for_page(url=dash_duo.server_url + "/")
    dash_duo.wait_for_contains_text("#overview-summary", "as at 2017/18 Q2")
    dash_duo.wait_for_contains_text("#asat-newer", "Returns for 2017/18 Q3 are still arriving")
    dash_duo.find_element("#asat-newer-link").click()
    dash_duo.wait_for_contains_text("#overview-summary", "as at 2017/18 Q3")
    dash_duo.wait_for_contains_text("#asat-partial", "2017/18 Q3 is partial")
    assert "(partial: " in dash_duo.find_element("#overview-asat").text

    # Undo: the history says who (the signed-in user).
    dash_duo.wait_for_page(url=dash_duo.server_url + "/upload")
    dash_duo.wait_for_element("#upload-history-table button[aria-label^='Undo batch 4']").click()
    dash_duo.wait_for_contains_text("#upload-action-message", "Batch 4 is rolled back")
    dash_duo.wait_for_contains_text("#upload-history-table", "rolled back by Ada Admin")
    dash_duo.wait_for_page(url=dash_duo.server_url + "/")
    dash_duo.wait_for_contains_text("#overview-summary", "as at 2017/18 Q2")
    assert dash_duo.find_elements("#asat-newer") == []
    assert dash_duo.get_logs() == []


# --- the meeting: the screen, then the pack ------------------------------------------------------

def test_meeting_journey_screen_and_pack(dash_duo, app, dataset):
    from domain.views.present import slide_count

    start_signed_in(dash_duo, app)
    dash_duo.driver.set_window_size(1920, 1080)
    count = slide_count(dataset, None)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/present?interval=3600")
    for number in range(1, count + 1):
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/present?interval=3600&slide={number}")
        dash_duo.wait_for_text_to_equal("#present-slide-number", f"Slide {number} of {count}")
        dash_duo.wait_for_element(".present-slide h1")
        layout = dash_duo.driver.execute_script(
            _CUT_TEXT, ".present-tile > div, .present-item, .present-chart figcaption")
        assert layout["cut"] == [], f"slide {number}: text cut off: {layout['cut']}"
        assert layout["overflow"] <= 1, f"slide {number} runs {layout['overflow']}px past the " \
                                        "bottom of the screen"
    # Every RED KPI's name is shown whole on the summary slides.
    red = [k for k, s in dataset.kpi_statuses(dataset.resolve_asat(None)).items()
           if s.status.value == "RED"]
    shown = ""
    for number in range(2, count + 1):
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/present?interval=3600&slide={number}")
        dash_duo.wait_for_text_to_equal("#present-slide-number", f"Slide {number} of {count}")
        shown += " ".join(e.text for e in dash_duo.find_elements("#present-red-kpis li"))
    for ref in red:
        assert dataset.plan.kpi(ref).measure.strip() in shown

    # The pack, printed on the server: every page says what it is and where it is.
    dash_duo.wait_for_page(url=dash_duo.server_url + "/report?asat=2016-17Q4")
    dash_duo.wait_for_text_to_equal("#report-asat", "2016/17 Q4")
    assert dash_duo.find_element("#report-state").text == "Draft: not signed off"
    pack = _get(dash_duo, _href(dash_duo, "#report-downloads .download-pdf"))
    pages = pdf_pages(pack.content)
    assert len(pages) > 8
    headings = {"Actions", "Trends against target", "Summary"}
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        footer = lines[-1]
        assert "Board pack as at 2016/17 Q4" in footer and "Draft: not signed off" in footer
        assert footer.endswith(f"Page {number} of {len(pages)}")
        assert dataset.plan.title in footer
        # No heading left alone at the foot of a page.
        assert lines[-2] not in headings, f"page {number} ends with the heading {lines[-2]}"
    assert dash_duo.get_logs() == []
