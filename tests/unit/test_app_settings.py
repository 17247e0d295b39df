"""One app per process, with its settings from the environment (what a WSGI server gets)."""

from __future__ import annotations

from pathlib import Path

import pytest

import app as app_module
from app import Settings


def test_settings_come_from_the_environment(tmp_path):
    settings = Settings.from_environment({"DATA_DIR": str(tmp_path / "d"),
                                          "PUBLISHED_DATA_DIR": str(tmp_path / "p"),
                                          "DATABASE_URL": "postgresql+psycopg://app@db/returns",
                                          "TRUSTED_PROXIES": "1"})
    assert settings.data_dir == tmp_path / "d"
    assert settings.published_dir == tmp_path / "p"
    assert settings.store_url == "postgresql+psycopg://app@db/returns"
    assert settings.database_setting == "DATABASE_URL"
    assert settings.trusted_proxies == 1


def test_without_the_environment_the_defaults_hold():
    settings = Settings.from_environment({})
    assert settings.data_dir == Settings.data_dir
    assert settings.published_dir == Settings.published_dir
    assert settings.store_url == f"sqlite:///{Settings.data_dir.resolve()}/returns.sqlite"
    assert settings.trusted_proxies == 0


def test_a_proxy_count_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES='yes'"):
        Settings.from_environment({"TRUSTED_PROXIES": "yes"})


def test_the_command_line_database_url_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nowhere/env.sqlite")
    chosen = {}
    monkeypatch.setattr(app_module, "configure_logging", lambda: None)
    monkeypatch.setattr(app_module, "create_app", lambda settings: chosen.setdefault(
        "settings", settings) and _Stop())
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    with pytest.raises(_Stopped):
        app_module.main(["--database-url", url, "--data-dir", str(tmp_path)])
    assert chosen["settings"].store_url == url


class _Stopped(Exception):
    pass


class _Stop:
    def run(self, **_):
        raise _Stopped


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


def test_the_sample_gunicorn_config_sets_only_gunicorn_settings():
    import runpy

    from gunicorn.config import KNOWN_SETTINGS

    config = runpy.run_path(str(Path(app_module.__file__).parent / "deploy" / "gunicorn.conf.py"))
    ours = {name for name in config if not name.startswith("_") and name != "os"}
    assert ours <= {setting.name for setting in KNOWN_SETTINGS}, "a misspelt setting is ignored"
    assert config["preload_app"] is False and config["accesslog"] is None


def test_the_app_hands_freed_memory_back(app):
    """Arrow's buffers come from the system allocator, which returns what a large read freed
    (bench/README.md: memory after every page)."""
    import pyarrow

    from app import hand_freed_memory_back

    assert pyarrow.default_memory_pool().backend_name == "system"
    hand_freed_memory_back()  # idempotent
    assert pyarrow.default_memory_pool().backend_name == "system"
