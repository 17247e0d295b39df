"""The improvement plan dashboard: `create_app(settings)` builds the Dash app; `python app.py` serves.

    python app.py [--host H] [--port P] [--data-dir DIR]

`server` is the Flask app for a WSGI server, built once per process from environment variables
(`DATA_DIR`, `PUBLISHED_DATA_DIR`): see `Settings.from_environment`.
"""

from __future__ import annotations

import argparse
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import dash
import flask_bootstrap
from dash import Dash
from flask import send_from_directory

from routes.api import api_blueprint
from runtime.context import (DATASET_SOURCE_KEY, PUBLISHED_SOURCE_KEY, STORE_KEY,
                               current_dataset)
from routes.exports import export_blueprint
from routes.plans_api import plans_blueprint
from routes.upload_api import returns_blueprint
from callbacks.plans import switcher_view
from components.shell import app_shell
from domain.published.comparators import PublishedSource
from domain.published.sample import write_published_sample
from domain.store.source import StoreDatasetSource, open_store

ROOT = Path(__file__).resolve().parent
# Published comparators: the real DfE files beside the checkout when there; else (None) a
# synthetic sample the app writes into its data folder and labels as sample.
REAL_PUBLISHED_DIR = ROOT.parent / "shared" / "data" / "published"
DEFAULT_PUBLISHED_DIR = (Path(os.environ["PUBLISHED_DATA_DIR"]) if os.environ.get("PUBLISHED_DATA_DIR")
                         else REAL_PUBLISHED_DIR if REAL_PUBLISHED_DIR.is_dir() else None)
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
BOOTSTRAP_CSS_URL = "/vendor/bootstrap/css/bootstrap.min.css"

# Dash's default page wraps its scripts in a <footer>: a second contentinfo landmark beside the
# site footer (WCAG 1.3.1), so the scripts sit directly in <body> here.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


@dataclass(frozen=True)
class Settings:
    """Where the app reads its plan and data, and where it may write."""

    plan_dir: Path = ROOT / "data" / "plan"
    returns_path: Path = ROOT / "data" / "sample" / "kpi_returns.csv"
    progress_path: Path = ROOT / "data" / "sample" / "action_progress.csv"
    data_dir: Path = ROOT / "var"
    published_dir: Path | None = DEFAULT_PUBLISHED_DIR  # None: the synthetic sample

    @classmethod
    def from_environment(cls, environ=None) -> Settings:
        """Settings for a WSGI server: `DATA_DIR` and `PUBLISHED_DATA_DIR`, else the defaults."""
        environ = os.environ if environ is None else environ
        published = environ.get("PUBLISHED_DATA_DIR")
        return cls(data_dir=Path(environ.get("DATA_DIR") or cls.data_dir),
                   published_dir=Path(published) if published else DEFAULT_PUBLISHED_DIR)


def _serve_bootstrap(server) -> None:
    """Bootstrap's CSS comes from the Bootstrap-Flask wheel installed by pip: no CDN."""

    @server.route("/vendor/bootstrap/<path:filename>")
    def bootstrap_asset(filename: str):
        return send_from_directory(BOOTSTRAP_DIR, filename, max_age=86400)


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=[BOOTSTRAP_CSS_URL],
        title="Improvement plan dashboard",
        update_title=None,
        suppress_callback_exceptions=True,
        index_string=INDEX_STRING,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # The store in data_dir is the truth; on first run it is seeded with the sample files.
    store = open_store(settings.data_dir, settings.plan_dir, settings.returns_path,
                       settings.progress_path)
    app.server.config[STORE_KEY] = store
    app.server.config[DATASET_SOURCE_KEY] = StoreDatasetSource(settings.plan_dir, store)
    published_is_sample = settings.published_dir is None
    published_dir = (write_published_sample(settings.data_dir / "published_sample")
                     if published_is_sample else settings.published_dir)
    app.server.config[PUBLISHED_SOURCE_KEY] = PublishedSource(
        published_dir, settings.plan_dir / "published_measures.csv", published_is_sample)
    _serve_bootstrap(app.server)
    app.server.register_blueprint(api_blueprint())
    app.server.register_blueprint(returns_blueprint())
    app.server.register_blueprint(plans_blueprint())
    # Uploads are limited by the server, not only the browser (a 10 MB file, base64 in a
    # callback, is about 13.4 MB).
    app.server.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    app.server.register_blueprint(export_blueprint())
    app.layout = lambda: app_shell(dash.page_container, current_dataset().is_sample,
                                   switcher_view())
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--data-dir", type=Path, default=Settings.data_dir,
                        help="where anything the app writes goes (default: ./var)")
    parser.add_argument("--published-dir", type=Path, default=Settings.published_dir,
                        help="DfE published statistics for comparators (default: "
                             "../shared/data/published when present, else the sample)")
    parser.add_argument("--debug", action="store_true")
    environment = Settings.from_environment()
    parser.set_defaults(data_dir=environment.data_dir, published_dir=environment.published_dir)
    args = parser.parse_args(argv)
    app = create_app(Settings(data_dir=args.data_dir, published_dir=args.published_dir))
    app.run(host=args.host, port=args.port, debug=args.debug)


@functools.cache
def _wsgi_server():
    """One app per process: every request a WSGI worker serves goes to this one Flask app."""
    return create_app(Settings.from_environment()).server


def __getattr__(name: str):
    # A WSGI server asks for `app:server`; the app is built the first time, and only then, so
    # importing this module (tests, the command line) builds nothing.
    if name == "server":
        return _wsgi_server()
    raise AttributeError(name)


if __name__ == "__main__":
    main()
