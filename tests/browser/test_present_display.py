"""/present in a real browser: advances on its own and by key, pauses, follows the URL's themes."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from components import ids
from domain.views.present import slide_count

from signin import start_signed_in

pytestmark = pytest.mark.browser


def _press(dash_duo, key):
    ActionChains(dash_duo.driver).send_keys(key).perform()


def test_present_advances_on_its_own_and_by_key_and_pauses(dash_duo, app, dataset):
    count = slide_count(dataset, None, "5,4")
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/present?interval=2&theme=5,4")
    dash_duo.wait_for_text_to_equal(f"#{ids.PRESENT_SLIDE_NUMBER}", f"Slide 1 of {count}")
    assert not dash_duo.find_element(".site-header").is_displayed()
    assert dash_duo.find_element(f"#{ids.PRESENT_SAMPLE}").text == "Sample data"
    # On its own, within a few ticks.
    dash_duo.wait_for_text_to_equal(f"#{ids.PRESENT_SLIDE_NUMBER}", f"Slide 2 of {count}",
                                    timeout=8)
    # Space pauses: the slide stays put for longer than two intervals.
    _press(dash_duo, " ")
    dash_duo.wait_for_contains_text(f"#{ids.PRESENT_PAUSED}", "Paused")
    paused_at = dash_duo.find_element(f"#{ids.PRESENT_SLIDE_NUMBER}").text
    import time
    time.sleep(5)
    assert dash_duo.find_element(f"#{ids.PRESENT_SLIDE_NUMBER}").text == paused_at
    # Arrows move while paused; left goes back.
    number = int(paused_at.split()[1])
    _press(dash_duo, Keys.ARROW_RIGHT)
    dash_duo.wait_for_text_to_equal(f"#{ids.PRESENT_SLIDE_NUMBER}",
                                    f"Slide {number % count + 1} of {count}")
    _press(dash_duo, Keys.ARROW_LEFT)
    dash_duo.wait_for_text_to_equal(f"#{ids.PRESENT_SLIDE_NUMBER}", paused_at)
    _press(dash_duo, " ")
    dash_duo.wait_for_text_to_equal(f"#{ids.PRESENT_PAUSED}", "")
    assert dash_duo.get_logs() == []


def test_present_shows_the_themes_in_url_order(dash_duo, app, dataset):
    count = slide_count(dataset, "2016-17Q4", "6,2")
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url +
                           "/present?interval=600&theme=6,2&asat=2016-17Q4")
    dash_duo.wait_for_contains_text(f"#{ids.PRESENT_ASAT}", "2016/17 Q4")
    titles = []
    for number in range(2, count + 1):
        _press(dash_duo, Keys.ARROW_RIGHT)
        dash_duo.wait_for_text_to_equal(f"#{ids.PRESENT_SLIDE_NUMBER}",
                                        f"Slide {number} of {count}")
        titles += [e.get_attribute("data-theme")
                   for e in dash_duo.find_elements(f"#{ids.PRESENT_THEME_TITLE}")]
    assert titles == ["6", "2"]
    body_size = dash_duo.driver.execute_script(
        "return getComputedStyle(document.querySelector('.present-slide')).fontSize")
    assert float(body_size.rstrip("px")) >= 28


def test_a_new_upload_shows_on_the_next_slide_without_a_reload(dash_duo, app, dataset):
    """The display reads the data again for every slide: commit an upload that completes a later
    quarter to the store behind the app and the header's as-at period moves on at the next
    tick (a few early returns would not: the default is the latest complete quarter)."""
    from runtime.context import STORE_KEY
    from domain.ingest.upload import check_upload, commit_upload

    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/present?interval=2")
    dash_duo.wait_for_contains_text(f"#{ids.PRESENT_ASAT}", "2017/18 Q2")
    store = app.server.config[STORE_KEY]
    # Every quarterly KPI's 2017/18 Q3 return, at its Q2 value.
    asat = dataset.resolve_asat("2017/18 Q2")
    lines = "".join(f"{k.ref},2017/18 Q3,{dataset.kpi_status(k.ref, asat).value}\n"
                    for k in dataset.plan.kpis if k.frequency == "quarterly")
    check = check_upload(("kpi_ref,period,value\n" + lines).encode(), "q3.csv", dataset.plan,
                         store)
    assert commit_upload(check, "Performance team", store) is not None
    dash_duo.wait_for_contains_text(f"#{ids.PRESENT_ASAT}", "2017/18 Q3", timeout=10)
    assert "/present" in dash_duo.driver.current_url


def test_the_display_carries_on_after_the_server_restarts(dash_duo, tmp_path):
    """A real server process, stopped and started again under the open display, which was
    signed in by a display link: its session (in the store) and the key that signs its cookie
    (in the data folder) outlive the process."""
    import socket
    import subprocess
    import sys
    import time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path

    from domain.store.accounts import DISPLAY_LINK, issue_link
    from domain.store.accounts_sql import SqlAccounts
    from domain.store.sqlite import Store

    root = Path(__file__).resolve().parents[2]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def serve():
        process = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port), "--data-dir", str(tmp_path)],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    return process
            time.sleep(0.1)
        raise AssertionError("the app did not start")

    server = serve()
    store = Store.in_folder(tmp_path)
    try:
        _link, secret = issue_link(SqlAccounts.of_store(store), DISPLAY_LINK, "display",
                                   "Meeting room", "tests", datetime.now(timezone.utc),
                                   timedelta(hours=1))
        dash_duo.driver.get(f"http://127.0.0.1:{port}/display/{secret}")
        dash_duo.wait_for_element("#display-form button").click()
        dash_duo.wait_for_element("#present-slide-number")
        assert secret not in dash_duo.driver.current_url, "no secret stays in the address bar"
        dash_duo.driver.get(f"http://127.0.0.1:{port}/present?interval=2")
        dash_duo.wait_for_contains_text(f"#{ids.PRESENT_SLIDE_NUMBER}", "Slide 2 ", timeout=10)
        server.terminate()
        server.wait()
        time.sleep(5)  # a couple of ticks fail while the server is away
        stalled = dash_duo.find_element(f"#{ids.PRESENT_SLIDE_NUMBER}").text
        server = serve()
        dash_duo.wait_for_element(f"#{ids.PRESENT_SLIDE_NUMBER}")
        deadline = time.time() + 15
        while dash_duo.find_element(f"#{ids.PRESENT_SLIDE_NUMBER}").text == stalled:
            assert time.time() < deadline, "the display did not carry on after the restart"
            time.sleep(0.5)
    finally:
        store.dispose()
        server.terminate()
        server.wait()
