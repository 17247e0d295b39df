"""Logs to standard error: one line per request (method, path, status, milliseconds, client) and
one per error with its traceback; `LOG_FORMAT=json` makes each a JSON object on one line.

`configure_logging` is for a process's entry point (the WSGI server's app, `python app.py`): it
sets the root logger's one handler. `log_requests` hooks a Flask app; it adds no handler of its
own, so an app built in a test logs into whatever the test captures.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
import types
from datetime import datetime, timezone

from flask import Flask, g, request
from flask.logging import default_handler

REQUEST_LOGGER = "dashboard.requests"
ERROR_LOGGER = "dashboard.errors"
_HANDLER_NAME = "dashboard-stderr"
# Fields a record may carry besides its message, in the order a text line shows them.
_FIELDS = ("method", "path", "status", "ms", "remote")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields and, for an
    error, its traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": _timestamp(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update({name: getattr(record, name) for name in _FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return _timestamp(record)


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")


def configure_logging(log_format: str | None = None, stream=None) -> None:
    """Send every log record at INFO and above to standard error (or `stream`) as text, or as
    JSON when `log_format` (default: the LOG_FORMAT variable) is "json". Calling it again
    replaces its handler rather than adding a second."""
    chosen = (log_format or os.environ.get("LOG_FORMAT") or "text").strip().lower()
    if chosen not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT={chosen!r}: expected text or json")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # The development server's own request lines would repeat ours, and Alembic describes its
    # context at every start; the app logs the store's schema version itself.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def log_requests(server: Flask) -> None:
    """One INFO line per request on REQUEST_LOGGER, and each unhandled error once, with its
    traceback, on ERROR_LOGGER (in place of Flask's own message)."""
    requests = logging.getLogger(REQUEST_LOGGER)
    errors = logging.getLogger(ERROR_LOGGER)

    @server.before_request
    def _start_clock():
        g.request_started = time.perf_counter()

    @server.after_request
    def _log_request(response):
        started = g.get("request_started")
        elapsed = round((time.perf_counter() - started) * 1000, 1) if started else None
        fields = _request_fields(status=response.status_code, ms=elapsed)
        requests.info("%s %s %s %s ms %s", *(fields[name] for name in _FIELDS), extra=fields)
        return response

    def log_exception(self, exc_info) -> None:
        fields = _request_fields()
        errors.error("%s %s failed", fields["method"], fields["path"], exc_info=exc_info,
                     extra=fields)

    # Flask calls app.log_exception for every unhandled error; this instance's says it our way.
    server.log_exception = types.MethodType(log_exception, server)
    server.logger.removeHandler(default_handler)


def _request_fields(**extra) -> dict:
    return {"method": request.method, "path": request.path, "remote": request.remote_addr,
            **extra}
