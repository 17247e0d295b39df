"""The board pack as a PDF made on the server: headless Chromium prints /report with the same
A4 landscape print CSS a person's browser uses, so the download and "Save as PDF" agree.

Chromium fetches the page from this same server on the loopback address (never from the Host
header a client sent, which could point it anywhere).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 90

log = logging.getLogger(__name__)


def chromium_path() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _said(output: bytes | None) -> str:
    """Chromium's error output as text for a log line (its last 4,000 characters)."""
    text = (output or b"").decode("utf-8", errors="replace").strip()
    return text[-4000:] or "nothing"


def print_to_pdf(url: str) -> bytes:
    """Raises RuntimeError when no browser is installed or printing fails."""
    browser = chromium_path()
    if browser is None:
        raise RuntimeError("Chromium is not installed on the server, so it can not make a PDF; "
                           "open /report and use the browser's Print > Save as PDF instead.")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "board-pack.pdf"
        command = [browser, "--headless=new", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                   f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
                   "--virtual-time-budget=15000", f"--print-to-pdf={out}", url]
        try:
            printed = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                     check=False)
        except subprocess.TimeoutExpired as error:
            log.error("Chromium took more than %s s to print %s; it said: %s", TIMEOUT_SECONDS,
                      url, _said(error.stderr))
            raise RuntimeError("Printing the board pack took too long.") from error
        if not out.exists() or out.stat().st_size == 0:
            # What Chromium wrote is the only clue to why (a missing library, a crash, a sandbox).
            log.error("Chromium could not print %s (exit code %s); it said: %s", url,
                      printed.returncode, _said(printed.stderr))
            raise RuntimeError("Chromium could not print the board pack.")
        return out.read_bytes()
