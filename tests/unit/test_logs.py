"""Logs: one line per request (method, path, status, milliseconds, client), one per error with
its traceback, as text or (LOG_FORMAT=json) one JSON object per line; forwarded client addresses
are believed only when TRUSTED_PROXIES says a proxy stands in front."""

from __future__ import annotations

import io
import json
import logging

import pytest

from app import Settings, create_app
from runtime.logs import ERROR_LOGGER, REQUEST_LOGGER, configure_logging


@pytest.fixture
def root_logging():
    """configure_logging changes the process's root logger: put it back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def request_records(caplog):
    return [r for r in caplog.records if r.name == REQUEST_LOGGER]


def test_one_line_per_request_with_method_path_status_and_milliseconds(client, caplog):
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        client.get("/api/kpis?asat=2016/17 Q2")
        client.delete("/api/kpis")  # a signed-in browser without its CSRF token: refused
    first, second = request_records(caplog)
    assert (first.method, first.path, first.status) == ("GET", "/api/kpis", 200)
    assert isinstance(first.ms, float) and first.ms >= 0
    assert first.getMessage().startswith("GET /api/kpis 200 ")
    assert "asat" not in first.getMessage(), "query strings stay out of the log"
    assert (second.method, second.status) == ("DELETE", 400)


def test_json_format_is_one_object_per_line_with_the_traceback(root_logging):
    stream = io.StringIO()
    configure_logging("json", stream)
    logging.getLogger(REQUEST_LOGGER).info("GET / 200 1.0 ms", extra={
        "method": "GET", "path": "/", "status": 200, "ms": 1.0, "remote": "127.0.0.1"})
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger(ERROR_LOGGER).exception("GET /x failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2, "a traceback stays inside its one line"
    request, error = map(json.loads, lines)
    assert {k: request[k] for k in ("level", "method", "path", "status", "ms")} == {
        "level": "INFO", "method": "GET", "path": "/", "status": 200, "ms": 1.0}
    assert error["level"] == "ERROR" and "ValueError: bad" in error["traceback"]


def test_text_format_and_configuring_twice_writes_each_line_once(root_logging):
    stream = io.StringIO()
    configure_logging("text", stream)
    configure_logging("text", stream)
    logging.getLogger(REQUEST_LOGGER).info("GET / 200 1.0 ms")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].endswith("INFO dashboard.requests GET / 200 1.0 ms")


def test_an_unknown_log_format_is_refused_by_name(root_logging):
    with pytest.raises(ValueError, match="LOG_FORMAT='xml'"):
        configure_logging("xml", io.StringIO())


@pytest.mark.parametrize("proxies, expected", [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_forwarded_addresses_are_believed_only_when_configured(tmp_path, caplog, proxies,
                                                                expected):
    app = create_app(Settings(data_dir=tmp_path / "var", trusted_proxies=proxies))
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        app.server.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"},
                                     environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert [r.remote for r in request_records(caplog)] == [expected]
