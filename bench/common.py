"""What the benchmark scripts share: the machine line, timing, tables, serving an app in a
subprocess and a headless Chromium with a fresh profile. Not a test: nothing here asserts."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def published_dir() -> Path | None:
    """The real published files: $PUBLISHED_DATA_DIR, else shared/data/published beside the
    checkout (or beside its parent, for a worktree); None when there are none."""
    candidates = [Path(os.environ["PUBLISHED_DATA_DIR"])] if os.environ.get(
        "PUBLISHED_DATA_DIR") else []
    candidates += [ROOT.parent / "shared/data/published", ROOT.parents[1] / "shared/data/published"]
    return next((c for c in candidates if (c / "lait").is_dir()), None)


def machine() -> str:
    """One line: CPU, cores, Python and key packages, the date, the load before the run."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    import pandas
    import plotly

    import dash
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {model or platform.machine()}, "
            f"{os.cpu_count()} cores; Python {platform.python_version()}, dash {dash.__version__}, "
            f"plotly {plotly.__version__}, pandas {pandas.__version__}; load average {load}")


def best_of(repeat: int, function) -> float:
    """The fastest of `repeat` runs, in seconds: the run least disturbed by the machine."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def print_table(headers: list[str], rows: list[list]) -> None:
    """A Markdown table (numbers right-aligned), ready for bench/README.md."""
    text = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text)) if text else len(h)
              for i, h in enumerate(headers)]
    numeric = [bool(text) and all(_is_number(r[i]) for r in text if r[i]) for i in
               range(len(headers))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join(("-" * (w + 1) + ":") if n else ("-" * (w + 2))
                         for w, n in zip(widths, numeric)) + "|")
    for row in text:
        print("| " + " | ".join(c.rjust(w) if n else c.ljust(w)
                               for c, w, n in zip(row, widths, numeric)) + " |")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("x"))
    except ValueError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A Python web server in its own process (as in production), stopped on exit."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, *args, "--port", str(self.port)], cwd=ROOT,
            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)

    def wait(self, path: str = "/", timeout: float = 120) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server {self.process.args} exited")
            try:
                with urllib.request.urlopen(self.url + path, timeout=30):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server {self.process.args} did not answer in {timeout} s")

    def memory_mb(self) -> dict[str, float]:
        """The server process's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        return {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status
                if line.startswith(("VmRSS:", "VmHWM:"))}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def app_server(data_dir: Path, published: Path | None) -> Server:
    """The dashboard, as `python app.py` serves it, on a data folder of its own."""
    args = ["app.py", "--host", "127.0.0.1", "--data-dir", str(data_dir)]
    if published is not None:
        args += ["--published-dir", str(published)]
    return Server(args)


class Browser:
    """Headless Chromium with a fresh profile (no cache, nothing stored), as a first visit."""

    def __init__(self, script_on_every_page: str = ""):
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="bench-chromium-")
        options = Options()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--disable-background-networking",
                         "--disable-component-update", "--no-first-run", "--disable-sync",
                         "--disable-extensions", "--window-size=1366,900",
                         f"--user-data-dir={self.profile}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        if script_on_every_page:
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                        {"source": script_on_every_page})

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc) -> None:
        self.quit()
