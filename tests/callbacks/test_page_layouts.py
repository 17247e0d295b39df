"""Each page's layout renders on the sample data inside a request, without a browser."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/actions", "/data-quality", "/kpi/19a", "/kpi/16",
                                  "/kpi/nope", "/?theme=4&status=RED", "/actions?lead=x"])
def test_every_page_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<html lang="en-GB">' in response.data


def test_layout_request_gives_the_sample_banner(client):
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    assert b"Sample data" in response.data


def test_the_app_writes_only_into_its_data_dir(app, settings):
    assert settings.data_dir.is_dir()


def test_without_published_files_the_app_writes_and_labels_a_sample(tmp_path):
    from dataclasses import replace

    from app import Settings, create_app
    from domain.published.sample import SAMPLE_FILES

    settings = replace(Settings(data_dir=tmp_path / "var"), published_dir=None)
    client = create_app(settings).server.test_client()
    assert all((settings.data_dir / "published_sample" / name).exists() for name in SAMPLE_FILES)
    from runtime.context import current_published
    with client.application.test_request_context("/kpi/19a"):
        published = current_published()
        comparisons, failures = published.comparisons("19a", "801")
        assert published.is_sample and comparisons and not failures

