"""Load: N viewers and M uploaders against the app under gunicorn with W workers (not a test:
nothing here asserts a time; it reports).

    python bench/load.py [--database-url URL] [--workers 4] [--viewers 50] [--uploaders 1]
                         [--upload-every 5] [--think 30] [--duration 60] [--json FILE]

It starts its own gunicorn on a free port of 127.0.0.1 (loopback only: there is no option to aim
it anywhere else) with a fresh data dir, and the store in `--database-url` (default: a new SQLite
file in that dir; a PostgreSQL URL should name an empty database). Then:

1. Single user: one client requests `/api/kpis` in turn, the figure the p95 under load is set
   against.
2. Load for `--duration` seconds: each viewer loops over the pages' data requests (the page
   content a browser asks for on `/`, `/kpi/19a` and `/actions`, and `/api/kpis`), thinking
   `--think` seconds (0.5x to 1.5x at random; default 30, a person reading a page and the
   meeting-room display's slide interval) between them; each uploader commits a small file of
   new values every `--upload-every` seconds.
3. Afterwards, with gunicorn stopped, it opens the store and checks that every batch an upload
   was told was committed is there and active.

It reports p50/p95/p99 milliseconds and errors per route, commits made and lost, and the p95 of
`/api/kpis` against its single-user time. Bounded: at most `--duration` seconds of load (capped at
600) and `--max-requests` requests in all.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # loopback only, by design
MAX_DURATION_SECONDS = 600
MAX_VIEWERS = 500
KPI_ROUTE = "GET /api/kpis"


def _page_request(path: str) -> tuple[str, bytes]:
    """The request Dash's page router makes when a browser opens `path`."""
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    return f"page {path}", json.dumps(body).encode()


PAGES = [_page_request(path) for path in ("/", "/kpi/19a", "/actions")]


@dataclass
class LoadConfig:
    database_url: str | None = None
    workers: int = 4
    viewers: int = 50
    uploaders: int = 1
    upload_every: float = 5.0
    think: float = 30.0  # a person reading a page; also /present's default slide interval
    duration: float = 60.0
    single_user_requests: int = 20
    max_requests: int = 100_000
    startup_timeout: float = 180.0

    def __post_init__(self):
        if not 0 < self.duration <= MAX_DURATION_SECONDS:
            raise ValueError(f"--duration must be between 0 and {MAX_DURATION_SECONDS} seconds")
        if not 0 <= self.viewers <= MAX_VIEWERS or self.uploaders < 0 or self.workers < 1:
            raise ValueError(f"--viewers 0 to {MAX_VIEWERS}, --uploaders 0 or more, "
                             f"--workers 1 or more")


@dataclass
class LoadReport:
    config: LoadConfig
    single_user_ms: float
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    committed: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    seconds: float = 0.0
    # The machine's load average (1 minute) before and after: other work on it slows the run.
    load_average: tuple[float, float] = (0.0, 0.0)

    @property
    def error_count(self) -> int:
        return sum(len(e) for e in self.errors.values())

    def percentiles(self, route: str) -> tuple[float, float, float]:
        values = sorted(self.timings[route])
        if len(values) < 2:
            return (values[0],) * 3 if values else (float("nan"),) * 3
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return cuts[49], cuts[94], cuts[98]

    def kpi_p95_ratio(self) -> float:
        return self.percentiles(KPI_ROUTE)[1] / self.single_user_ms

    def as_markdown(self) -> str:
        c = self.config
        lines = [f"{c.workers} workers, {c.viewers} viewers (think {c.think:g} s), "
                 f"{c.uploaders} uploader(s) every {c.upload_every:g} s, "
                 f"{self.seconds:.0f} s of load; machine load average {self.load_average[0]:.1f} "
                 f"before, {self.load_average[1]:.1f} after",
                 "", "| route | requests | errors | p50 ms | p95 ms | p99 ms |",
                 "|---|---:|---:|---:|---:|---:|"]
        for route in sorted(set(self.timings) | set(self.errors)):
            p50, p95, p99 = self.percentiles(route)
            lines.append(f"| {route} | {len(self.timings[route]) + len(self.errors[route])} | "
                         f"{len(self.errors[route])} | {p50:.0f} | {p95:.0f} | {p99:.0f} |")
        lines += ["", f"Single-user `/api/kpis`: {self.single_user_ms:.0f} ms (median); p95 under "
                      f"load is {self.kpi_p95_ratio():.1f}x that.",
                  f"Errors: {self.error_count}. Commits: {len(self.committed)} made, "
                  f"{len(self.missing)} lost."]
        for route, messages in self.errors.items():
            lines += [f"- {route}: {message}" for message in sorted(set(messages))[:5]]
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {"config": vars(self.config), "seconds": self.seconds,
                "load_average": self.load_average,
                "single_user_ms": self.single_user_ms, "errors": self.error_count,
                "commits": len(self.committed), "lost": len(self.missing),
                "routes": {route: dict(zip(("p50", "p95", "p99"), self.percentiles(route)),
                                       requests=len(self.timings[route]),
                                       errors=len(self.errors[route]))
                           for route in self.timings}}


# --- the server ----------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving `app:server` on loopback with its own data dir, stopped on exit."""

    def __init__(self, data_dir: Path, database_url: str | None, workers: int,
                 extra_env: dict | None = None):
        self.port = _free_port()
        env = {**os.environ, "DATA_DIR": str(data_dir), **(extra_env or {})}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        self.log = open(data_dir / "gunicorn.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
             f"{HOST}:{self.port}", "--no-control-socket", "--timeout", "120", "app:server"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.output()}")
            try:
                if request(self.port, "GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def api_token(database_url: str, name: str, role: str) -> dict:
    """The header of a new API token of `role` named `name`, made in the store (which a started
    server has migrated): every route needs sign-in, and a script signs in with a token."""
    from datetime import datetime, timezone

    from domain.store.accounts import issue_token
    from domain.store.accounts_sql import SqlAccounts
    from domain.store.source import store_for_url

    store = store_for_url(database_url)
    try:
        token = issue_token(SqlAccounts.of_store(store), name, role, "bench/load.py",
                            datetime.now(timezone.utc).isoformat(timespec="seconds"))
    finally:
        store.dispose()
    return {"Authorization": f"Bearer {token}"}


# --- the clients ---------------------------------------------------------------------------------

class Budget:
    """The run's end: a deadline and a request count, whichever comes first."""

    def __init__(self, seconds: float, requests: int):
        self.deadline = time.monotonic() + seconds
        self._left = requests
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0 or time.monotonic() >= self.deadline:
                return False
            self._left -= 1
            return True

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))


def _timed(report: LoadReport, lock: threading.Lock, route: str, port: int, method: str,
           path: str, body: bytes | None = None, headers: dict | None = None,
           ok=(200,)) -> bytes | None:
    started = time.perf_counter()
    try:
        status, content = request(port, method, path, body, headers)
    except OSError as error:
        with lock:
            report.errors[route].append(f"{type(error).__name__}: {error}")
        return None
    elapsed = (time.perf_counter() - started) * 1000
    with lock:
        if status in ok:
            report.timings[route].append(elapsed)
        else:
            report.errors[route].append(f"HTTP {status}: {content[:120]!r}")
    return content if status in ok else None


def viewer(port: int, config: LoadConfig, budget: Budget, report: LoadReport,
           lock: threading.Lock, rng: random.Random, auth: dict) -> None:
    budget.sleep(rng.uniform(0, config.think))  # people do not all arrive in the same second
    steps = [*PAGES, (KPI_ROUTE, None)]
    rng.shuffle(steps)
    turn = 0
    while budget.take():
        route, body = steps[turn % len(steps)]
        if body is None:
            _timed(report, lock, route, port, "GET", "/api/kpis", headers=auth)
        else:
            _timed(report, lock, route, port, "POST", "/_dash-update-component", body,
                   {"Content-Type": "application/json", **auth})
        turn += 1
        budget.sleep(config.think * rng.uniform(0.5, 1.5))


def uploader(number: int, port: int, config: LoadConfig, budget: Budget, report: LoadReport,
             lock: threading.Lock, auth: dict) -> None:
    budget.sleep(config.upload_every * number / max(config.uploaders, 1))
    sent = 0
    while budget.take():
        sent += 1
        # A value no earlier upload had, so each file is a new batch (a revision of 19a).
        value = 10 + number + sent / 1000
        content = f"kpi_ref,period,value\n19a,2016/17 Q2,{value:.3f}\n".encode()
        answer = _timed(report, lock, "POST /api/returns", port, "POST",
                        "/api/returns", content, {"Content-Type": "text/csv", **auth})
        if answer is not None:
            body = json.loads(answer)
            with lock:
                if body.get("committed"):
                    report.committed.append(body["batch_id"])
                else:
                    report.errors["POST /api/returns"].append(f"not committed: {body}")
        budget.sleep(config.upload_every)


def single_user_ms(port: int, requests: int, auth: dict) -> float:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _ = request(port, "GET", "/api/kpis", headers=auth)
        if status == 200:
            timings.append((time.perf_counter() - started) * 1000)
    if not timings:
        raise RuntimeError("/api/kpis never answered 200 for a single user")
    return statistics.median(timings)


def missing_batches(database_url: str, committed: list[int]) -> list[int]:
    from domain.store.source import store_for_url

    store = store_for_url(database_url)
    try:
        active = {b.id for b in store.batches() if b.is_active}
    finally:
        store.dispose()
    return [batch_id for batch_id in committed if batch_id not in active]


def run_load(config: LoadConfig, data_dir: Path | None = None) -> LoadReport:
    """Start gunicorn, measure, load, stop, check the store: the report."""
    own_dir = data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="dashboard-load-")) if own_dir else Path(data_dir)
    url = config.database_url or f"sqlite:///{data_dir / 'returns.sqlite'}"
    server = Gunicorn(data_dir, url, config.workers)
    try:
        server.wait_ready(config.startup_timeout)
        viewing = api_token(url, "load viewers", "viewer")
        uploading = api_token(url, "load uploaders", "contributor")
        for _ in range(config.workers * 2):  # every worker has built its dataset once
            request(server.port, "GET", "/api/kpis", headers=viewing)
        report = LoadReport(config, single_user_ms(server.port, config.single_user_requests,
                                                   viewing))
        budget, lock = Budget(config.duration, config.max_requests), threading.Lock()
        threads = [threading.Thread(target=viewer, args=(server.port, config, budget, report,
                                                         lock, random.Random(n), viewing))
                   for n in range(config.viewers)]
        threads += [threading.Thread(target=uploader, args=(n, server.port, config, budget,
                                                            report, lock, uploading))
                    for n in range(config.uploaders)]
        started, load_before = time.monotonic(), os.getloadavg()[0]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=config.duration + 120)
        report.seconds = time.monotonic() - started
        report.load_average = (load_before, os.getloadavg()[0])
    finally:
        server.stop()
    report.missing = missing_batches(url, report.committed)
    if own_dir:
        shutil.rmtree(data_dir, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = LoadConfig()
    parser.add_argument("--database-url", help="the store (default: a new SQLite file)")
    for name in ("workers", "viewers", "uploaders", "max_requests"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name))
    for name in ("upload_every", "think", "duration"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=float,
                            default=getattr(defaults, name))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    config = LoadConfig(database_url=args.database_url, workers=args.workers,
                        viewers=args.viewers, uploaders=args.uploaders,
                        upload_every=args.upload_every, think=args.think,
                        duration=args.duration, max_requests=args.max_requests)
    report = run_load(config)
    print(report.as_markdown())
    if args.json:
        args.json.write_text(json.dumps(report.as_json(), indent=2))
    return 1 if report.error_count or report.missing else 0


if __name__ == "__main__":
    sys.exit(main())
