"""The improvement plan dashboard: `create_app(settings)` builds the Dash app; `python app.py` serves.

    python app.py [--host H] [--port P] [--data-dir DIR]

`server` is the Flask app for a WSGI server (e.g. `waitress-serve app:server`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import dash
import flask_bootstrap
from dash import Dash
from flask import send_from_directory

from callbacks.api import api_blueprint
from callbacks.context import DATASET_SOURCE_KEY, current_dataset
from callbacks.exports import export_blueprint
from components.shell import app_shell
from domain.dataset import DatasetSource

ROOT = Path(__file__).resolve().parent
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
BOOTSTRAP_CSS_URL = "/vendor/bootstrap/css/bootstrap.min.css"

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
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


@dataclass(frozen=True)
class Settings:
    """Where the app reads its plan and data, and where it may write."""

    plan_dir: Path = ROOT / "data" / "plan"
    returns_path: Path = ROOT / "data" / "sample" / "kpi_returns.csv"
    progress_path: Path = ROOT / "data" / "sample" / "action_progress.csv"
    data_dir: Path = ROOT / "var"
    is_sample: bool = True
    extra: dict = field(default_factory=dict)


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
    app.server.config[DATASET_SOURCE_KEY] = DatasetSource(
        settings.plan_dir, settings.returns_path, settings.progress_path, settings.is_sample)
    app.server.config["SETTINGS"] = settings
    _serve_bootstrap(app.server)
    app.server.register_blueprint(api_blueprint())
    app.server.register_blueprint(export_blueprint())
    app.layout = lambda: app_shell(dash.page_container, current_dataset().is_sample)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--data-dir", type=Path, default=Settings.data_dir,
                        help="where anything the app writes goes (default: ./var)")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    app = create_app(Settings(data_dir=args.data_dir))
    app.run(host=args.host, port=args.port, debug=args.debug)


def __getattr__(name: str):
    # `waitress-serve app:server` asks for `server`; build the app only when it is asked for.
    if name == "server":
        return create_app().server
    raise AttributeError(name)


if __name__ == "__main__":
    main()
