"""/report in a real browser, and the download links on each page giving the values on screen."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import requests

from components import ids
from signin import start_signed_in

pytestmark = pytest.mark.browser


def _download(dash_duo, selector) -> bytes:
    """The link's file, fetched with the browser's own cookies (downloads need sign-in)."""
    href = dash_duo.find_element(selector).get_attribute("href")
    cookies = {c["name"]: c["value"] for c in dash_duo.driver.get_cookies()}
    response = requests.get(href, timeout=120, cookies=cookies)
    assert response.status_code == 200
    return response.content


def test_report_shows_every_theme_with_tiles_charts_and_actions(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/report?asat=2016-17Q4")
    dash_duo.wait_for_text_to_equal(f"#{ids.REPORT_ASAT}", "2016/17 Q4")
    sections = dash_duo.find_elements(".report-theme")
    assert [s.get_attribute("data-theme") for s in sections] == [
        str(t.number) for t in dataset.plan.themes]
    assert len(dash_duo.find_elements(".report-theme .kpi-tile-item")) == len(dataset.plan.kpis)
    assert len(dash_duo.find_elements(".report-chart")) == len(dataset.plan.kpis)
    rows = dash_duo.find_elements(".report-theme table[id^=report-actions] tbody tr")
    assert len(rows) == len(dataset.plan.actions)
    workbook = _download(dash_duo, f"#{ids.REPORT_DOWNLOADS} .download-xlsx")
    sheets = pd.read_excel(io.BytesIO(workbook), sheet_name=None)
    assert len(sheets["KPI returns"]) == len(dataset.returns)
    assert dash_duo.get_logs() == []


def test_kpi_values_download_matches_the_table_on_screen(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/17a?asat=2016-17Q4")
    dash_duo.wait_for_element(f"#{ids.KPI_VALUES}")
    header = [e.text for e in dash_duo.find_elements(f"#{ids.KPI_VALUES} th")]
    screen = [[td.text for td in row.find_elements("css selector", "td")]
              for row in dash_duo.find_elements(f"#{ids.KPI_VALUES} tbody tr")]
    for selector, read in ((".download-csv", pd.read_csv), (".download-xlsx", pd.read_excel)):
        frame = read(io.BytesIO(_download(dash_duo, selector)))
        assert list(frame.columns) == header
        assert frame["Period"].tolist() == [row[0] for row in screen]
        shown = [float(row[1]) for row in screen]  # caseloads: plain numbers on screen
        assert frame["Whole authority"].tolist() == pytest.approx(shown)


def test_overview_actions_and_findings_downloads_match_the_screen(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_element(".kpi-tile")
    frame = pd.read_csv(io.BytesIO(_download(dash_duo, ".download-csv")))
    refs = [e.text for e in dash_duo.find_elements(".kpi-tile .kpi-ref")]
    words = [e.text for e in dash_duo.find_elements(".kpi-tile .rag-word")]
    values = [e.text for e in dash_duo.find_elements(".kpi-tile .kpi-value")]
    assert frame["KPI"].astype(str).tolist() == refs
    assert frame["Status"].tolist() == words
    assert frame["Shown as"].fillna("no data").tolist() == values

    dash_duo.wait_for_page(url=dash_duo.server_url + "/actions")
    dash_duo.wait_for_element(f"#{ids.ACTIONS_TABLE}")
    frame = pd.read_excel(io.BytesIO(_download(dash_duo, ".download-xlsx")))
    screen = {row.find_elements("css selector", "td")[0].text:
              row.find_elements("css selector", ".rag-word")[0].text
              for row in dash_duo.find_elements(f"#{ids.ACTIONS_TABLE} tbody tr")}
    assert dict(zip(frame["Action"].astype(str), frame["Status"])) == screen

    dash_duo.wait_for_page(url=dash_duo.server_url + "/data-quality")
    dash_duo.wait_for_element(f"#{ids.FINDINGS_TABLE}")
    frame = pd.read_csv(io.BytesIO(_download(dash_duo, ".download-csv")))
    assert len(frame) == len(dash_duo.find_elements(f"#{ids.FINDINGS_TABLE} tbody tr"))


def test_board_pack_pdf_is_printed_on_the_server(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/report?asat=2016-17Q4")
    pdf = _download(dash_duo, f"#{ids.REPORT_DOWNLOADS} .download-pdf")
    assert pdf.startswith(b"%PDF")
    import re

    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)
    assert len(pages) > 8  # cover, summary, six themes each starting a page
    # A4 landscape: 842 x 595 points.
    assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf
