"""The board pack as a PDF made on the server: headless Chromium prints the /report page's
components, written out as static HTML with the same stylesheets (so the download and the
browser's "Save as PDF" agree), from a file in a temporary folder.

Chromium never fetches a page from this server: when it did, four prints at once filled a
4-thread server with Chromiums waiting for it, and everything stalled until the timeout. It is
given no network either. Each app has one `BoardPackPrinter` (per worker process): at most
`PRINTS_AT_ONCE` prints run at once and any more are refused at once (the route answers 503
with Retry-After), a printed pack is kept per data revision, day and period so asking again
costs nothing, and a print that runs past the timeout has its whole process group killed.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 90
PRINTS_AT_ONCE = 2
PACKS_KEPT = 8
RETRY_AFTER_SECONDS = 15
PRINTER_KEY = "BOARD_PACK_PRINTER"

log = logging.getLogger(__name__)


class PrinterBusy(RuntimeError):
    """Every print slot of this process is in use; ask again in a few seconds."""


def chromium_path() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def can_print() -> bool:
    return chromium_path() is not None


def no_chromium_message() -> str:
    return ("Chromium is not installed on the server, so it can not make a PDF; open /report and "
            "use the browser's Print > Save as PDF instead.")


def _kill_group(process: subprocess.Popen) -> None:
    """Chromium starts helper processes (GPU, renderer, crashpad); they share its group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def print_html_to_pdf(html: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF Chromium prints from `html`; raises RuntimeError when no browser is installed or
    printing fails (Chromium's stderr is logged), and kills Chromium's process group after
    `timeout` seconds."""
    browser = chromium_path()
    if browser is None:
        raise RuntimeError(no_chromium_message())
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "board-pack.html"
        page.write_text(html, encoding="utf-8")
        out = Path(folder) / "board-pack.pdf"
        command = [browser, "--headless=new", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                   "--disable-extensions", "--disable-sync", f"--user-data-dir={folder}/profile",
                   # Nothing to fetch: the page and its styles are in the file.
                   "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                   "--no-pdf-header-footer", "--virtual-time-budget=15000",
                   f"--print-to-pdf={out}", page.as_uri()]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            _, stderr = process.communicate()
            log.error("Chromium took more than %s s to print the board pack and was killed; "
                      "its stderr: %s", timeout, _tail(stderr))
            raise RuntimeError("Printing the board pack took too long.") from None
        finally:
            _kill_group(process)  # helpers left behind, if any
        if not out.exists() or out.stat().st_size == 0:
            log.error("Chromium could not print the board pack (exit status %s); its stderr: %s",
                      process.returncode, _tail(stderr))
            raise RuntimeError("Chromium could not print the board pack.")
        return out.read_bytes()


def _tail(stderr: bytes | None, limit: int = 4000) -> str:
    return (stderr or b"").decode("utf-8", "replace")[-limit:].strip() or "(empty)"


class BoardPackPrinter:
    """Prints board packs for one app in one process: a few at once, each kept once printed."""

    def __init__(self, stylesheets: tuple[Path, ...] = (), prints_at_once: int = PRINTS_AT_ONCE,
                 kept: int = PACKS_KEPT, timeout: float = TIMEOUT_SECONDS,
                 print_pdf: Callable[[str, float], bytes] = print_html_to_pdf):
        self.stylesheets = tuple(Path(p) for p in stylesheets)
        self.timeout = timeout
        self._print = print_pdf
        self._slots = threading.BoundedSemaphore(prints_at_once)
        self._kept = kept
        self._lock = threading.Lock()
        self._packs: OrderedDict[Hashable, bytes] = OrderedDict()

    def stylesheet_texts(self) -> list[str]:
        return [path.read_text(encoding="utf-8") for path in self.stylesheets if path.exists()]

    def kept(self, key: Hashable) -> bytes | None:
        with self._lock:
            if key in self._packs:
                self._packs.move_to_end(key)
                return self._packs[key]
        return None

    def pdf(self, key: Hashable, make_html: Callable[[], str]) -> bytes:
        """The pack for `key` (data revision, day, period): kept, or printed now from
        `make_html()`; raises PrinterBusy when every slot is printing, RuntimeError when
        printing fails."""
        pack = self.kept(key)
        if pack is not None:
            return pack
        if not self._slots.acquire(blocking=False):
            raise PrinterBusy("The server is printing other board packs; try again in a few "
                              "seconds.")
        try:
            pack = self.kept(key)  # printed by another request a moment ago
            if pack is None:
                pack = self._print(make_html(), self.timeout)
        finally:
            self._slots.release()
        with self._lock:
            self._packs[key] = pack
            self._packs.move_to_end(key)
            while len(self._packs) > self._kept:
                self._packs.popitem(last=False)
        return pack
