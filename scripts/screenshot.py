"""Take README screenshots of the running app with headless Chromium.

    python scripts/screenshot.py [--url http://127.0.0.1:8050] [--out docs]

Serve the app first (`make run`). Uses Debian's chromium and chromium-driver, as the tests do.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

PAGES = {"overview.png": "/", "kpi.png": "/kpi/19a", "actions.png": "/actions",
         "present.png": "/present?interval=600&theme=3&slide=3", "report.png": "/report"}
# Pages taken at another window size: the meeting-room display at a 1920x1080 screen's size.
WINDOW_SIZES = {"present.png": (1920, 1080)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1800)
    parser.add_argument("--only", nargs="*", help="file names from PAGES to take (default all)")
    args = parser.parse_args()
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", f"--window-size={args.width},{args.height}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        only = set(args.only or PAGES)
        for name, path in PAGES.items():
            if name not in only:
                continue
            driver.set_window_size(*WINDOW_SIZES.get(name, (args.width, args.height)))
            driver.get(args.url + path)
            time.sleep(3)  # let Dash render and plotly draw
            driver.save_screenshot(str(args.out / name))
            print("wrote", args.out / name)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
