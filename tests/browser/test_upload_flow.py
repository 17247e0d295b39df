"""The whole upload flow in headless Chromium: upload, report, preview, commit, the new value on
/kpi/<ref>, undo, the old value back."""

from __future__ import annotations

import pytest

from components import ids
from signin import USERS, start_signed_in

pytestmark = pytest.mark.browser

PERIOD = "2016/17 Q2"


def _values_row(dash_duo, period: str) -> str:
    dash_duo.wait_for_element(f"#{ids.KPI_VALUES}")
    rows = [r.text for r in dash_duo.find_elements(f"#{ids.KPI_VALUES} tbody tr")]
    return next(row for row in rows if row.startswith(period))


def _upload(dash_duo, path):
    dash_duo.find_element(f"#{ids.UPLOAD_FILE} input[type=file]").send_keys(str(path))


def test_upload_commit_shows_the_value_and_undo_brings_the_old_one_back(
        dash_duo, app, dataset, tmp_path):
    kpi = dataset.plan.kpi("19a")
    old = next(o.value for o in dataset.observations("19a") if o.period.label == PERIOD)
    new = 12.3 if abs(old - 12.3) > 1 else 42.3
    bad = tmp_path / "bad returns.csv"
    bad.write_text(f"kpi_ref,period,value\n19z,{PERIOD},{new}\n")
    good = tmp_path / "returns.csv"
    good.write_text(f"Quarterly returns\n\nKPI Ref,Period,Value\n19a,{PERIOD},{new}\n")

    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/upload")
    dash_duo.wait_for_element(f"#{ids.UPLOAD_HISTORY_TABLE}")
    dash_duo.wait_for_element(
        f"#{ids.UPLOAD_FILE} input[aria-label='Choose a returns file to upload']")

    # A refused file: the report names the row, column and code; Commit stays disabled.
    _upload(dash_duo, bad)
    dash_duo.wait_for_element(f"#{ids.UPLOAD_ERRORS}")
    error_row = dash_duo.find_element(f"#{ids.UPLOAD_ERRORS} tbody tr").text
    assert "2" in error_row and "unknown_kpi" in error_row and "19z" in error_row
    assert dash_duo.find_element(f"#{ids.UPLOAD_COMMIT}").get_attribute("disabled") is not None

    # A good file: the preview shows the revision old -> new; commit stores it.
    _upload(dash_duo, good)
    dash_duo.wait_for_element(f"#{ids.UPLOAD_REVISED}")
    revision = dash_duo.find_element(f"#{ids.UPLOAD_REVISED} tbody tr").text
    assert f"{old:g} \u2192 {new:g}" in revision
    assert "1 revisions" in dash_duo.find_element("#upload-preview-counts").text
    dash_duo.wait_for_element("#upload-commit:not([disabled])").click()
    dash_duo.wait_for_contains_text("#upload-message", "Stored as batch 4")
    # The uploader is whoever signed in, never a typed name.
    assert not dash_duo.find_elements("#upload-who")  # the field is gone: not an id any more
    dash_duo.wait_for_contains_text("#upload-history-table", USERS["admin"])
    assert dash_duo.find_element("#upload-commit").get_attribute("disabled") is not None

    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/19a")
    assert kpi.format_value(new) in _values_row(dash_duo, PERIOD)

    # Undo from the history: the old value is back.
    dash_duo.wait_for_page(url=dash_duo.server_url + "/upload")
    dash_duo.wait_for_element("#upload-history-table button[aria-label^='Undo batch 4']").click()
    dash_duo.wait_for_contains_text("#upload-action-message", "Batch 4 is rolled back")
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/19a")
    assert kpi.format_value(old) in _values_row(dash_duo, PERIOD)
    assert dash_duo.get_logs() == []


def test_a_slow_check_says_what_is_happening_until_the_report_comes(
        dash_duo, app, monkeypatch, tmp_path):
    """A large file takes a while to check: the page says so in words (role=status) after half
    a second, and the words go when the report arrives. The check is made slow on purpose."""
    import time

    import callbacks.upload as handlers

    check = handlers.check_upload

    def slow_check(*args, **kwargs):
        time.sleep(3)
        return check(*args, **kwargs)

    monkeypatch.setattr(handlers, "check_upload", slow_check)
    good = tmp_path / "returns.csv"
    good.write_text(f"kpi_ref,period,value\n19a,{PERIOD},12.3\n")
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/upload")
    dash_duo.wait_for_element(
        f"#{ids.UPLOAD_FILE} input[aria-label='Choose a returns file to upload']")
    _upload(dash_duo, good)
    progress = dash_duo.wait_for_element(".upload-working[role=status]")
    assert "Checking the file" in progress.text
    dash_duo.wait_for_element(f"#{ids.UPLOAD_REPORT_BODY}", timeout=30)
    assert dash_duo.find_elements(".upload-working") == []
    assert dash_duo.get_logs() == []
