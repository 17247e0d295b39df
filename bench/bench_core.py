"""Benchmarks for the core dashboard, each against a floor (not a test: nothing here asserts).

    python bench/bench_core.py [--rows 20000] [--repeat 5] [--no-browser]

1. Returns parsing: `domain.ingest.returns.read_returns` on a returns CSV against a bare
   `pandas.read_csv` of the same file (the floor).
2. Overview page, server side: building and serialising the overview layout against an empty
   Dash page's layout; and the JSON size the browser has to draw.
3. Overview page, in headless Chromium: time until the tiles show against an empty Dash page.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(repeat: int, function) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def big_returns_csv(rows: int, folder: Path) -> Path:
    """The sample returns repeated with distinct areas until there are about `rows` rows."""
    sample = pd.read_csv(ROOT / "data" / "sample" / "kpi_returns.csv", dtype=str,
                         keep_default_na=False)
    copies = max(1, rows // len(sample))
    frames = []
    for copy in range(copies):
        frame = sample.copy()
        frame["area"] = frame["area"].where(frame["area"] == "", frame["area"] + f" {copy}")
        frame.loc[frame["area"] == "", "area"] = f"Team {copy}" if copy else ""
        frames.append(frame)
    path = folder / "returns.csv"
    pd.concat(frames).to_csv(path, index=False)
    return path


def bench_parsing(rows: int, repeat: int) -> list[tuple[str, float]]:
    from domain.ingest.register import load_register
    from domain.ingest.returns import read_returns

    plan = load_register(ROOT / "data" / "plan")
    with tempfile.TemporaryDirectory() as folder:
        path = big_returns_csv(rows, Path(folder))
        count = len(pd.read_csv(path))
        floor = best_of(repeat, lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
        ours = best_of(repeat, lambda: read_returns(path, plan))
    return [(f"pandas.read_csv, {count:,} rows (floor)", floor),
            (f"read_returns (validated), {count:,} rows", ours)]


def bench_layout(repeat: int) -> list[tuple[str, float]]:
    from dash import html
    from dash._utils import to_json

    from app import create_app

    app = create_app()
    overview = sys.modules["pages.overview"]
    with app.server.test_request_context("/"):
        def overview_json():
            return to_json(overview.layout())

        def empty_json():
            return to_json(html.Div("Empty page"))

        size = len(overview_json())
        floor = best_of(repeat, empty_json)
        ours = best_of(repeat, overview_json)
    return [("empty layout, build + JSON (floor)", floor),
            (f"overview layout, 34 tiles, build + JSON ({size / 1024:.0f} KiB)", ours)]


def _serve(app, port: int) -> None:
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def bench_browser(repeat: int) -> list[tuple[str, float]]:
    import socket

    from dash import Dash, html
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from app import create_app

    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    empty = Dash(__name__)
    empty.layout = html.Div("Empty page", id="empty")
    empty_port, app_port = free_port(), free_port()
    _serve(empty, empty_port)
    _serve(create_app(), app_port)
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--window-size=1440,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)

    def load(url: str, selector: str) -> float:
        start = time.perf_counter()
        driver.get(url)
        WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, selector))
        return time.perf_counter() - start

    try:
        load(f"http://127.0.0.1:{empty_port}/", "#empty")  # warm the browser's cache
        load(f"http://127.0.0.1:{app_port}/", ".kpi-tile")
        floor = min(load(f"http://127.0.0.1:{empty_port}/", "#empty") for _ in range(repeat))
        ours = min(load(f"http://127.0.0.1:{app_port}/", ".kpi-tile") for _ in range(repeat))
    finally:
        driver.quit()
    return [("empty Dash page in Chromium (floor)", floor),
            ("overview until the tiles show in Chromium", ours)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    groups = [bench_parsing(args.rows, args.repeat), bench_layout(args.repeat)]
    if not args.no_browser:
        groups.append(bench_browser(args.repeat))
    print(f"{'measure':<62} {'best (ms)':>10} {'x floor':>8}")
    for group in groups:
        floor = group[0][1]
        for name, seconds in group:
            print(f"{name:<62} {seconds * 1000:>10.1f} {seconds / floor:>8.1f}")


if __name__ == "__main__":
    main()
