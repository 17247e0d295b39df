"""A real PostgreSQL server for the tests, started with Debian's binaries (initdb, pg_ctl) in a
temporary folder, listening on a free loopback port only, and removed afterwards. Never a mock.

PostgreSQL refuses to run as root, so when the tests run as root (CI) the server runs as the
`postgres` user that Debian's package creates, in a folder that user owns. fsync is off: these
databases are thrown away, and the tests measure behaviour, not durability.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """Why a server could not be started here."""


def _binaries() -> Path:
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise PostgresUnavailable("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: "
                              "apt-get install postgresql (.ci/run does)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One throwaway cluster; `create_database()` gives each test its own empty database."""

    def __init__(self):
        self.bin = _binaries()
        self.run_as = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise PostgresUnavailable("running as root and there is no `postgres` user to "
                                          "run the server as (Debian's postgresql package "
                                          "creates it)") from None
        self.folder = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
        if self.run_as:
            os.chown(self.folder, self.run_as.pw_uid, self.run_as.pw_gid)
        self.data = self.folder / "data"
        self.port = _free_port()
        self._names = itertools.count(1)

    def _run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess:
        user = {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid,
                "extra_groups": []} if self.run_as else {}
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=self.folder, **user)

    def start(self) -> PostgresServer:
        init = self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                         "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
        if init.returncode:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout}")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                   f"-c unix_socket_directories={self.folder} -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        started = self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                            str(self.folder / "server.log"), "-w", "-t", "60", "-o", options,
                            "start")
        if started.returncode:
            log = (self.folder / "server.log")
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr
            raise PostgresUnavailable(f"pg_ctl start failed: {detail.strip()}")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(statement)

    def create_database(self) -> tuple[str, str]:
        """A new empty database: its name and SQLAlchemy URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name, self.url(name)

    def drop_database(self, name: str) -> None:
        """Gone, even with connections still open (a test's app keeps its pool)."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                          "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
