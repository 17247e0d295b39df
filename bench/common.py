"""What the benchmark scripts share: the machine line, timing, tables, serving an app in a
subprocess, an administrator to sign in as, and a headless Chromium with a fresh profile that
signs in through the form. Not a test: nothing here asserts."""

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


def missing_browser() -> str | None:
    """Why headless Chromium cannot run here, or None. Like the browser tests, a benchmark
    that needs it is skipped (exit 0) outside CI and fails under CI=true."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    return f"not installed: {', '.join(missing)}" if missing else None


def skip_without_browser(name: str) -> int | None:
    """The exit status when the browser is missing (None: it is there)."""
    reason = missing_browser()
    if reason is None:
        return None
    in_ci = os.environ.get("CI", "").lower() == "true"
    print(f"{name}: headless Chromium is {reason}; "
          + ("CI=true, so this fails." if in_ci else "skipped (make browser installs it)."),
          file=sys.stderr)
    return 1 if in_ci else 0


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


# Every page needs sign-in: the benchmarks sign in as an administrator of their own data folder,
# made as a person makes one (`python app.py users create`, the password on standard input).
BENCH_USER = "Bench Admin"
BENCH_PASSWORD = "a bench password long enough for the sign-in rules"


def create_admin(data_dir: Path) -> None:
    """An administrator named BENCH_USER in the store of `data_dir` (made if need be)."""
    done = subprocess.run(
        [sys.executable, "app.py", "users", "create", BENCH_USER, "--role", "admin",
         "--data-dir", str(data_dir)], cwd=ROOT, input=BENCH_PASSWORD + "\n", text=True,
        capture_output=True)
    if done.returncode:
        raise RuntimeError(f"users create failed: {done.stderr.strip()}")


def app_server(data_dir: Path, published: Path | None) -> Server:
    """The dashboard, as `python app.py` serves it, on a data folder of its own with an
    administrator to sign in as (`create_admin`)."""
    create_admin(data_dir)
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

    def sign_in(self, base: str, timeout: float = 60) -> list[dict]:
        """Sign in through the form as BENCH_USER; the cookies that carry the session."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        driver = self.driver
        driver.get(base + "/login")
        wait = WebDriverWait(driver, timeout)
        wait.until(lambda d: d.find_elements(By.ID, "username"))[0].send_keys(BENCH_USER)
        driver.find_element(By.ID, "password").send_keys(BENCH_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
        wait.until(lambda d: "/login" not in d.current_url, "signing in did not leave /login")
        return driver.get_cookies()

    def use_cookies(self, base: str, cookies: list[dict]) -> None:
        """Carry a session signed in elsewhere into this profile before it opens anything
        (set through DevTools: opening a page of the site first would let that page's own
        requests, such as its favicon's, answer with a cookie of their own)."""
        for cookie in cookies:
            self.driver.execute_cdp_cmd("Network.setCookie", {
                "name": cookie["name"], "value": cookie["value"], "url": base + "/",
                "path": cookie.get("path", "/"), "httpOnly": cookie.get("httpOnly", False),
                "sameSite": cookie.get("sameSite", "Lax")})

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc) -> None:
        self.quit()
