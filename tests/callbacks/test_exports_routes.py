"""The /export routes: each table as CSV and XLSX, matching what the pages show."""

from __future__ import annotations

import io

import pandas as pd
import pytest


@pytest.mark.parametrize("table", ["kpis", "actions", "returns", "progress", "findings"])
def test_each_table_downloads_as_csv_and_xlsx_with_the_same_rows(client, table):
    csv = client.get(f"/export/{table}.csv")
    xlsx = client.get(f"/export/{table}.xlsx")
    assert csv.status_code == xlsx.status_code == 200
    assert "attachment" in csv.headers["Content-Disposition"]
    from_csv = pd.read_csv(io.BytesIO(csv.data))
    from_xlsx = pd.read_excel(io.BytesIO(xlsx.data))
    assert len(from_csv) == len(from_xlsx) > 0
    assert list(from_csv.columns) == list(from_xlsx.columns)


def test_kpi_statuses_match_the_api(client):
    api = client.get("/api/kpis?asat=2016-17Q4").get_json()
    frame = pd.read_csv(io.BytesIO(client.get("/export/kpis.csv?asat=2016-17Q4").data))
    assert frame["Status"].tolist() == [k["status"] for k in api["kpis"]]
    assert frame["Value"].tolist() == pytest.approx([k["value"] for k in api["kpis"]],
                                                    nan_ok=True)


def test_full_dataset_workbook_and_errors(client, dataset):
    sheets = pd.read_excel(io.BytesIO(client.get("/export/dataset.xlsx").data), sheet_name=None)
    assert len(sheets["KPI returns"]) == len(dataset.returns)
    assert len(sheets["KPI status"]) == len(dataset.plan.kpis)
    assert client.get("/export/kpis.csv?asat=nonsense").status_code == 400
    assert client.get("/export/kpi/99z.csv").status_code == 404
    assert client.get("/export/nothing.csv").status_code == 404
    assert client.get("/export/dataset.csv").status_code == 404  # several tables: XLSX only


@pytest.mark.parametrize("path", ["/present", "/present?interval=5&theme=4,5&asat=2016-17Q4",
                                  "/present?asat=nonsense&slide=99", "/report",
                                  "/report?asat=2016-17Q2"])
def test_present_and_report_pages_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<html lang="en-GB">' in response.data


@pytest.mark.parametrize("module, query", [
    ("pages.present", {"interval": "5", "theme": "4,5", "asat": "2016-17Q4", "slide": "2"}),
    ("pages.present", {"asat": "nonsense", "slide": "99", "interval": "x"}),
    ("pages.report", {"asat": "2016-17Q2"}),
    ("pages.report", {"asat": "nonsense"}),
])
def test_present_and_report_layouts_render(app, module, query):
    import dash

    with app.server.test_request_context():
        layout = dash.page_registry[module]["layout"](**query)
    text = str(layout.to_plotly_json())
    assert ("Showing the latest complete period" in text) == (query["asat"] == "nonsense")


def test_board_pack_pdf_without_a_browser_says_what_to_do(client, monkeypatch):
    import routes.pdf

    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: None)
    response = client.get("/export/board-pack.pdf")
    assert response.status_code == 503
    assert "Save as PDF" in response.get_json()["error"]
