"""Access to the current dataset from inside a request (a page layout, a callback or the API).

Every page, export and API works on a chosen plan (issue 13): `?plan=ID` on the address, else
the current plan. A Dash callback is a POST from the page, so its plan is read from the page's
address, which the browser sends as the Referer (assets/plan_in_url.js keeps `plan=` in the
address as a person moves between pages).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import current_app, has_request_context, request

from domain.published.comparators import PublishedSource
from domain.rules.dataset import Dataset
from domain.rules.plan import Plan, with_refs_of
from domain.store.plan_repository import PlanRepository
from domain.store.repository import (BoardRatingsRepository, ReturnsRepository,
                                     SignoffRepository)
from domain.store.source import PlanCatalogue, UnknownPlan, readiness

DATASET_SOURCE_KEY = "DATASET_SOURCE"
STORE_KEY = "RETURNS_STORE"
PUBLISHED_SOURCE_KEY = "PUBLISHED_SOURCE"
PLAN_PARAMETER = "plan"


def parse_plan_id(text: str | None) -> int | None:
    """A plan id as written in `?plan=`; None when absent. Raises UnknownPlan for text that
    is not an id."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise UnknownPlan(text) from None


def requested_plan_text() -> str | None:
    """`plan=` of the request, or of the page whose Dash request (the layout, a callback) this
    is: its Referer."""
    if not has_request_context():
        return None
    text = request.args.get(PLAN_PARAMETER)
    # Dash's own requests (the layout, the callbacks) come from the page, not its address.
    if text is None and "/_dash-" in request.path and request.referrer:
        text = parse_qs(urlsplit(request.referrer).query).get(PLAN_PARAMETER, [None])[0]
    return text


def requested_plan_id() -> int | None:
    """The plan the request asks for (None: the current plan); raises UnknownPlan."""
    return parse_plan_id(requested_plan_text())


def requested_dataset(plan_id: int | None = None) -> Dataset:
    """The Dataset of the plan asked for (by argument, else by the request); raises UnknownPlan
    for a plan the store does not hold. For the API and downloads, which answer 404."""
    source = current_app.config[DATASET_SOURCE_KEY]
    return source.current(requested_plan_id() if plan_id is None else plan_id)


def current_dataset() -> Dataset:
    """The Dataset of the plan asked for, or the current plan's when there is no such plan
    (a page then says so beside the plan switcher)."""
    try:
        return requested_dataset()
    except UnknownPlan:
        return current_app.config[DATASET_SOURCE_KEY].current(None)


def upload_plan() -> Plan:
    """What a returns upload is checked against: the plan being read, with the KPIs and actions
    of every other stored plan it lacks (returns belong to a KPI ref, not to a plan)."""
    plan = current_dataset().plan
    return with_refs_of(plan, [entry.plan for entry in current_catalogue().plans])


def current_catalogue() -> PlanCatalogue:
    """Every stored plan, read into its versions (cached per store revision)."""
    return current_app.config[DATASET_SOURCE_KEY].catalogue()


def current_store() -> ReturnsRepository:
    """The returns store (a ReturnsRepository) the app reads and uploads write to."""
    return current_app.config[STORE_KEY]


def readiness_problem() -> str | None:
    """Why this worker cannot serve pages now (database or plan), or None when it can."""
    return readiness(current_app.config[STORE_KEY], current_app.config[DATASET_SOURCE_KEY])


def current_plans() -> PlanRepository:
    """The same store, as the plans' interface."""
    return current_app.config[STORE_KEY]


def current_published() -> PublishedSource:
    """The published comparators behind the app (cached on the app, per file modification time)."""
    return current_app.config[PUBLISHED_SOURCE_KEY]


RATINGS_KEY = "BOARD_RATINGS"


def current_ratings() -> BoardRatingsRepository:
    """Where the board's outcome ratings are kept (beside the returns store)."""
    return current_app.config[RATINGS_KEY]


SIGNOFFS_KEY = "PERIOD_SIGNOFFS"


def current_signoffs() -> SignoffRepository:
    """Where the sign-offs of quarters are kept (beside the returns store; issue 14)."""
    return current_app.config[SIGNOFFS_KEY]


def batch_authors() -> dict[int, tuple[str, str]]:
    """Each batch's (who, when): what a value revised after a sign-off is measured by."""
    return {batch.id: (batch.who, batch.created_at) for batch in current_store().batches()}
