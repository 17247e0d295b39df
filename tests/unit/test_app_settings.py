"""One app per process, with its settings from the environment (what a WSGI server gets)."""

from __future__ import annotations

from pathlib import Path

import app as app_module
from app import Settings


def test_settings_come_from_the_environment(tmp_path):
    settings = Settings.from_environment({"DATA_DIR": str(tmp_path / "d"),
                                          "PUBLISHED_DATA_DIR": str(tmp_path / "p")})
    assert settings.data_dir == tmp_path / "d"
    assert settings.published_dir == tmp_path / "p"


def test_without_the_environment_the_defaults_hold():
    settings = Settings.from_environment({})
    assert settings.data_dir == Settings.data_dir
    assert settings.published_dir == Settings.published_dir


def test_the_wsgi_server_is_built_once_per_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    app_module._wsgi_server.cache_clear()
    try:
        first = app_module.server
        assert first is app_module.server
        assert (tmp_path / "var").is_dir()
        assert Path(first.import_name).name == "app"
    finally:
        app_module._wsgi_server.cache_clear()
