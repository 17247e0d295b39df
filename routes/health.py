"""Health checks for a load balancer or an orchestrator, open without sign-in (PUBLIC_PATHS):

- `GET /healthz`: the process is up and serving: 200 `{"status": "ok"}`, without touching the
  database.
- `GET /readyz`: the database answers and the plan and its data load: 200 `{"status": "ready"}`,
  else 503 `{"status": "unavailable", "reason": ...}` naming the setting and what failed.

Any page or API call made while the store cannot be reached answers 503 (the detail goes to the
log, not to the visitor).
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from domain.store.repository import StoreUnavailable
from runtime.context import readiness_problem

PUBLIC_PATHS = ("/healthz", "/readyz")
UNAVAILABLE_MESSAGE = ("The dashboard cannot reach its database just now, so nothing can be "
                       "shown or stored. Try again in a minute; if it lasts, tell the team that "
                       "runs the dashboard.")


def readiness_answer(problem: str | None) -> tuple[dict, int]:
    """The /readyz body and status for a readiness problem (None: ready)."""
    if problem is None:
        return {"status": "ready"}, 200
    return {"status": "unavailable", "reason": problem}, 503


def health_blueprint() -> Blueprint:
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @blueprint.get("/readyz")
    def readyz():
        body, status = readiness_answer(readiness_problem())
        return jsonify(body), status

    @blueprint.app_errorhandler(StoreUnavailable)
    def store_unavailable(error: StoreUnavailable):
        logging.getLogger(__name__).error("store unavailable: %s", error)
        return UNAVAILABLE_MESSAGE, 503, {"Content-Type": "text/plain; charset=utf-8",
                                          "Retry-After": "30"}

    return blueprint
