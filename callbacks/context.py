"""Access to the current dataset from inside a request (a page layout, a callback or the API)."""

from __future__ import annotations

from flask import current_app

from domain.dataset import Dataset

DATASET_SOURCE_KEY = "DATASET_SOURCE"


def current_dataset() -> Dataset:
    return current_app.config[DATASET_SOURCE_KEY].current()
