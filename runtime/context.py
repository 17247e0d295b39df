"""Access to the current dataset from inside a request (a page layout, a callback or the API)."""

from __future__ import annotations

from flask import current_app

from domain.published.comparators import PublishedSource
from domain.rules.dataset import Dataset
from domain.store.repository import BoardRatingsRepository, ReturnsRepository
from domain.store.source import readiness

DATASET_SOURCE_KEY = "DATASET_SOURCE"
STORE_KEY = "RETURNS_STORE"
PUBLISHED_SOURCE_KEY = "PUBLISHED_SOURCE"


def current_dataset() -> Dataset:
    return current_app.config[DATASET_SOURCE_KEY].current()


def current_store() -> ReturnsRepository:
    """The returns store (a ReturnsRepository) the app reads and uploads write to."""
    return current_app.config[STORE_KEY]


def readiness_problem() -> str | None:
    """Why this worker cannot serve pages now (database or plan), or None when it can."""
    return readiness(current_app.config[STORE_KEY], current_app.config[DATASET_SOURCE_KEY])


def current_published() -> PublishedSource:
    """The published comparators behind the app (cached on the app, per file modification time)."""
    return current_app.config[PUBLISHED_SOURCE_KEY]


RATINGS_KEY = "BOARD_RATINGS"


def current_ratings() -> BoardRatingsRepository:
    """Where the board's outcome ratings are kept (beside the returns store)."""
    return current_app.config[RATINGS_KEY]
