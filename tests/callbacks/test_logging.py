"""Logging: one line (with its traceback) per failed request, Chromium's own words when the PDF
fails, standard logging to stderr set up once per process, and nothing printed."""

from __future__ import annotations

import ast
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from components import ids
from runtime.logs import ERROR_LOGGER, REQUEST_LOGGER
from signin import csrf_headers

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = ("app.py", "pages", "callbacks", "components", "domain", "routes", "runtime")


def test_a_failing_request_logs_one_error_with_its_traceback(client, monkeypatch, caplog):
    import routes.api

    def broken(dataset, asat_text):
        raise RuntimeError("the dataset is broken")

    monkeypatch.setattr(routes.api, "kpis_payload", broken)
    with caplog.at_level(logging.INFO):
        response = client.get("/api/kpis?asat=2016-17Q4")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    record = errors[0]
    assert record.getMessage() == "GET /api/kpis failed"  # query strings stay out of the log
    assert record.name == ERROR_LOGGER and record.path == "/api/kpis"
    assert record.exc_info and record.exc_info[0] is RuntimeError
    # The request's own line says 500 too.
    assert [r.status for r in caplog.records if r.name == REQUEST_LOGGER] == [500]
    assert "the dataset is broken" in caplog.text and "Traceback" in caplog.text


def test_a_failing_dash_callback_is_logged_too(client, monkeypatch, caplog):
    client.get("/")  # Dash registers its callbacks on the first request

    def broken(*args):
        raise ValueError("a callback broke")

    monkeypatch.setattr(sys.modules["pages.overview"], "update_overview", broken)
    request = {
        "output": "..overview-body.children...overview-query.data..",
        "outputs": [{"id": ids.OVERVIEW_BODY, "property": "children"},
                    {"id": ids.OVERVIEW_QUERY, "property": "data"}],
        "inputs": [{"id": f"overview-{name}", "property": "value", "value": None}
                   for name in ("asat", "theme", "person", "status")],
        "changedPropIds": ["overview-theme.value"], "state": []}
    with caplog.at_level(logging.INFO):
        response = client.post("/_dash-update-component", json=request,
                               headers=csrf_headers(client))
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == ["POST /_dash-update-component failed"]
    assert errors[0].exc_info[0] is ValueError


def test_an_http_error_is_an_answer_not_a_logged_failure(client, caplog):
    with caplog.at_level(logging.INFO):
        assert client.get("/export/no-such-table.csv").status_code == 404
        assert client.get("/api/kpis?asat=not-a-period").status_code == 400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_failed_pdf_logs_what_chromium_said(tmp_path, monkeypatch, caplog):
    from routes import pdf

    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'error while loading shared libraries: libnss3.so' >&2\n"
                    "exit 127\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "chromium_path", lambda: str(fake))
    with caplog.at_level(logging.INFO), pytest.raises(RuntimeError, match="could not print"):
        pdf.print_html_to_pdf("<p>The board pack</p>")
    [record] = [r for r in caplog.records if r.name == "routes.pdf"]
    assert record.levelno == logging.ERROR
    assert "exit status 127" in record.getMessage()
    assert "libnss3.so" in record.getMessage()


def test_logging_goes_to_stderr_once_configured():
    script = ("import logging, app; app.configure_logging(); app.configure_logging(); "
              "logging.getLogger('dashboard').warning('store revision moved'); "
              "logging.getLogger('dashboard').debug('not shown')")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(r"\S+ WARNING dashboard store revision moved", lines[0])


def _prints(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id == "print"]


# The command line's own output (`python app.py tokens create` prints the token) is its answer,
# not a log line: that one module may print.
COMMAND_LINE = ROOT / "runtime" / "commands.py"


def test_nothing_in_the_app_prints():
    files = [ROOT / "app.py"] + [path for folder in APP_CODE[1:]
                                 for path in sorted((ROOT / folder).rglob("*.py"))
                                 if path != COMMAND_LINE]
    assert len(files) > 50
    printing = {str(path.relative_to(ROOT)): lines for path in files
                if (lines := _prints(path))}
    assert printing == {}


def test_the_print_check_would_find_a_print(tmp_path):
    offender = tmp_path / "loud.py"
    offender.write_text("x = 1\nprint('hello')\n")
    assert _prints(offender) == [2]
