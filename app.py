"""The improvement plan dashboard: `create_app(settings)` builds the Dash app; `python app.py` serves.

    python app.py [--host H] [--port P] [--data-dir DIR] [--database-url URL]
    python app.py users create NAME --role ROLE     (the password: first line of standard input)
    python app.py users list | users disable NAME
    python app.py tokens create NAME --role ROLE    (prints only the new token)
    python app.py tokens list | tokens revoke NAME
    python app.py backup FILE      a consistent copy of the SQLite store, while the app serves
    python app.py restore FILE     put a copy back (refusing a file that is not a store)

`server` is the Flask app for a WSGI server (`gunicorn 'app:server'`), built once per process
from environment variables (`DATA_DIR`, `DATABASE_URL`, `PUBLISHED_DATA_DIR`, `TRUSTED_PROXIES`,
`LOG_FORMAT`): see `Settings.from_environment` and the README's "Running in production".
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from dataclasses import dataclass
from dataclasses import replace as dataclasses_replace
from datetime import timedelta
from pathlib import Path

import dash
import flask_bootstrap
from dash import ClientsideFunction, Dash, Input
from dash.exceptions import DependencyException
from flask import send_from_directory
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from routes.api import api_blueprint
from runtime.context import (DATASET_SOURCE_KEY, PUBLISHED_SOURCE_KEY, STORE_KEY,
                               current_dataset)
from routes.auth import auth_blueprint, create_setup_link
from routes.commentary_api import commentary_blueprint
from routes.progress_api import progress_blueprint
from routes.signoff_api import signoff_blueprint
from routes.exports import export_blueprint
from routes.oidc import oidc_blueprint, register_oidc
from routes.pdf import PRINTER_KEY, BoardPackPrinter
from routes.plans_api import plans_blueprint
from routes.upload_api import returns_blueprint
from routes.health import health_blueprint
from runtime.logs import configure_logging, log_requests
from callbacks.plans import switcher_view
from components.shell import app_shell, signed_in_as
from domain.published.comparators import PublishedSource
from domain.published.sample import write_published_sample
from domain.rules.access import ROLES, Permission, may, parse_role_map
from domain.store.accounts_sql import SqlAccounts
from domain.store.source import StoreDatasetSource, open_store
from runtime import commands, gate, sessions
from runtime.auth import (ACCOUNTS_KEY, AUTH_CONFIG_KEY, AuthConfig, OidcConfig,
                          current_principal)
from domain.store.source import open_ratings, open_signoffs
from runtime.context import RATINGS_KEY, SIGNOFFS_KEY
from domain.store.repository import StoreNewerThanCode, StoreUnavailable
from domain.store.source import (DeferredStore, default_database_url, sqlite_file_of)
from domain.store.sqlite import NotAStore, backup, restore

ROOT = Path(__file__).resolve().parent
# Published comparators: the real DfE files beside the checkout when there; else (None) a
# synthetic sample the app writes into its data folder and labels as sample.
REAL_PUBLISHED_DIR = ROOT.parent / "shared" / "data" / "published"
DEFAULT_PUBLISHED_DIR = (Path(os.environ["PUBLISHED_DATA_DIR"]) if os.environ.get("PUBLISHED_DATA_DIR")
                         else REAL_PUBLISHED_DIR if REAL_PUBLISHED_DIR.is_dir() else None)
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
BOOTSTRAP_CSS_URL = "/vendor/bootstrap/css/bootstrap.min.css"

log = logging.getLogger("dashboard")

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


# A served app rebuilds its dataset in the background within 0.2 s of another worker's commit,
# so its next request does not wait for the rebuild (StoreDatasetSource.keep_fresh). At 1 s about
# one request in ten under load paid a rebuild; the check itself is one small SELECT.
SERVER_REFRESH_SECONDS = 0.2


@dataclass(frozen=True)
class Settings:
    """Where the app reads its plan and data, and where it may write."""

    plan_dir: Path = ROOT / "data" / "plan"
    returns_path: Path = ROOT / "data" / "sample" / "kpi_returns.csv"
    progress_path: Path = ROOT / "data" / "sample" / "action_progress.csv"
    data_dir: Path = ROOT / "var"
    published_dir: Path | None = DEFAULT_PUBLISHED_DIR  # None: the synthetic sample
    database_url: str | None = None  # None: SQLite in data_dir
    # Sign-in (see the README's "Signing in").
    secret_key: str | None = None  # None: generated once into data_dir (owner-only)
    session_idle_hours: float = 8.0
    public_url: str = ""  # how people reach the app, for the links it prints
    # How many reverse proxies stand in front; their X-Forwarded-For/-Proto/-Host/-Port headers
    # are trusted only when this is set (anyone can send those headers to an exposed server).
    trusted_proxies: int = 0
    # Seconds between a worker's background checks of the store (0: none, requests rebuild).
    refresh_seconds: float = 0.0
    @property
    def store_url(self) -> str:
        return self.database_url or default_database_url(self.data_dir)
    @property
    def database_setting(self) -> str:
        """The setting a database problem names, so whoever runs the app knows what to fix."""
        return "DATABASE_URL" if self.database_url else "DATA_DIR (the default SQLite store)"

    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_role_claim: str = "roles"
    oidc_role_map: str = ""  # "claim value=role,...": empty, the role names themselves
    oidc_label: str = "Sign in with your organisation's account"

    @classmethod
    def from_environment(cls, environ=None) -> Settings:
        """Settings for a WSGI server from the environment, else the defaults: `DATA_DIR`,
        `PUBLISHED_DATA_DIR`, `DATABASE_URL`, `SECRET_KEY`, `SESSION_IDLE_HOURS`, `PUBLIC_URL`,
        `TRUSTED_PROXIES`, `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`,
        `OIDC_ROLE_CLAIM`, `OIDC_ROLE_MAP`, `OIDC_LABEL`."""
        environ = os.environ if environ is None else environ
        published = environ.get("PUBLISHED_DATA_DIR")
        text = lambda name, default=None: environ.get(name) or default  # noqa: E731
        return cls(data_dir=Path(environ.get("DATA_DIR") or cls.data_dir),
                   published_dir=Path(published) if published else DEFAULT_PUBLISHED_DIR,
                   database_url=text("DATABASE_URL"),
                   secret_key=text("SECRET_KEY"),
                   session_idle_hours=float(text("SESSION_IDLE_HOURS", cls.session_idle_hours)),
                   public_url=text("PUBLIC_URL", ""),
                   trusted_proxies=_proxy_count(environ.get("TRUSTED_PROXIES", "")),
                   refresh_seconds=SERVER_REFRESH_SECONDS,
                   oidc_issuer=text("OIDC_ISSUER"),
                   oidc_client_id=text("OIDC_CLIENT_ID"),
                   oidc_client_secret=text("OIDC_CLIENT_SECRET"),
                   oidc_role_claim=text("OIDC_ROLE_CLAIM", cls.oidc_role_claim),
                   oidc_role_map=text("OIDC_ROLE_MAP", ""),
                   oidc_label=text("OIDC_LABEL", cls.oidc_label))

    def oidc(self) -> OidcConfig | None:
        """OpenID Connect, when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set."""
        if not (self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret):
            return None
        return OidcConfig(self.oidc_issuer.rstrip("/"), self.oidc_client_id,
                          self.oidc_client_secret, self.oidc_role_claim,
                          parse_role_map(self.oidc_role_map), self.oidc_label)


def _proxy_count(text: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdigit():
        raise ValueError(f"TRUSTED_PROXIES={text!r}: expected how many reverse proxies stand in "
                         f"front of the app (a whole number; 0 or unset when none)")
    return int(text)


def _serve_bootstrap(server) -> None:
    """Bootstrap's CSS comes from the Bootstrap-Flask wheel installed by pip: no CDN."""

    @server.route("/vendor/bootstrap/<path:filename>")
    def bootstrap_asset(filename: str):
        return send_from_directory(BOOTSTRAP_DIR, filename, max_age=86400)


def _unknown_assets_are_not_found(server) -> None:
    """Dash raises DependencyException for a /_dash-component-suites/ path it does not serve
    (an unknown package or file); that is a 404, not a server error."""

    @server.errorhandler(DependencyException)
    def not_found(_error):
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}


def hand_freed_memory_back() -> None:
    """Keep a long-running server's memory near what it uses (issue 10: one process held 320 MB
    after every page had been opened; see bench/README.md).

    - pandas' text columns live in Arrow memory, whose default allocator (mimalloc) keeps what
      a large read freed: reading the LAIT table held about 50 MB for good. The system
      allocator hands it back.
    - glibc gives each thread of the threaded server its own heap and raises its threshold for
      serving big blocks from the heap after each is freed, so a page's transient megabytes (a
      file read, a layout's JSON, a script served) stayed. Blocks of 256 KiB or more are now
      always mapped and unmapped, and two heaps serve every thread.

    Process-wide and idempotent; glibc's part is skipped where the C library is not glibc."""
    import ctypes

    import pyarrow

    if pyarrow.default_memory_pool().backend_name != "system":
        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_mmap_threshold, m_arena_max = -3, -8  # from glibc's malloc.h
    libc.mallopt(m_mmap_threshold, 256 * 1024)
    libc.mallopt(m_arena_max, 2)


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings()
    hand_freed_memory_back()
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
    # The store is the truth: opened now (schema migrated; seeded with the sample on first run)
    # or, when the database cannot be reached, on a later request, answering 503 until then.
    store = DeferredStore(lambda: open_store(settings.store_url, settings.plan_dir,
                                             settings.returns_path, settings.progress_path),
                          settings.database_setting)
    try:
        opened = store.open()  # a store newer than this code raises StoreNewerThanCode: no start
        logging.getLogger("dashboard.store").info("%r at schema version %s", opened,
                                                  opened.schema_revision())
    except StoreUnavailable as error:
        logging.getLogger("dashboard.store").error(
            "%s. Pages and /readyz answer 503 until the database can be reached.", error)

    app.server.config[STORE_KEY] = store
    source = StoreDatasetSource(settings.plan_dir, store)
    app.server.config[DATASET_SOURCE_KEY] = source
    if settings.refresh_seconds:
        app.server.config["DATASET_REFRESH_STOP"] = source.keep_fresh(settings.refresh_seconds)
    _install_sign_in(app, settings, SqlAccounts.of_store(store))
    app.server.config[RATINGS_KEY] = open_ratings(store)
    app.server.config[SIGNOFFS_KEY] = open_signoffs(store)
    published_is_sample = settings.published_dir is None
    published_dir = (write_published_sample(settings.data_dir / "published_sample")
                     if published_is_sample else settings.published_dir)
    app.server.config[PUBLISHED_SOURCE_KEY] = PublishedSource(
        published_dir, settings.plan_dir / "published_measures.csv", published_is_sample)
    _serve_bootstrap(app.server)
    log_requests(app.server)
    _unknown_assets_are_not_found(app.server)
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=hops, x_proto=hops,
                                       x_host=hops, x_port=hops)
    app.server.register_blueprint(health_blueprint())
    app.server.register_blueprint(api_blueprint())
    app.server.register_blueprint(commentary_blueprint())
    app.server.register_blueprint(signoff_blueprint())
    app.server.register_blueprint(progress_blueprint())
    app.server.register_blueprint(returns_blueprint())
    app.server.register_blueprint(plans_blueprint())
    # Uploads are limited by the server, not only the browser (a 10 MB file, base64 in a
    # callback, is about 13.4 MB).
    app.server.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    # The stylesheets a page loads (Bootstrap, then assets/ in Dash's order), for printing.
    app.server.config[PRINTER_KEY] = BoardPackPrinter(
        (BOOTSTRAP_DIR / "css" / "bootstrap.min.css", *sorted((ROOT / "assets").glob("*.css"))))
    app.server.register_blueprint(export_blueprint())
    app.layout = _layout
    # On every page change the navigation links take the new address's period (url_sync.js).
    app.clientside_callback(ClientsideFunction("urlsync", "carryToNav"),
                            Input("_pages_location", "href"))
    return app


def _install_sign_in(app: Dash, settings: Settings, accounts: SqlAccounts) -> None:
    """Accounts, sessions, the gate in front of every request, the sign-in pages and, with no
    users yet, the first-run set-up link in the log."""
    server = app.server
    server.config[ACCOUNTS_KEY] = accounts
    oidc = settings.oidc()
    config = AuthConfig(idle_timeout=timedelta(hours=settings.session_idle_hours), oidc=oidc,
                        public_url=settings.public_url)
    server.config[AUTH_CONFIG_KEY] = config
    server.config[gate.DASH_APP_KEY] = app
    sessions.configure(server, sessions.secret_key(settings.secret_key, settings.data_dir))
    gate.install(server, CSRFProtect())
    server.register_blueprint(auth_blueprint())
    server.register_blueprint(oidc_blueprint())
    register_oidc(server, oidc)
    try:
        link = create_setup_link(accounts, settings.public_url, config.clock())
    except StoreUnavailable:
        link = None  # the store's own error is logged; the link comes at the next start
    if link is not None:
        log.warning("No one can sign in yet. Open this one-time link to create the first "
                    "administrator (valid for 24 hours, until someone uses it): %s", link)


def _layout():
    """The frame for whoever is signed in: their navigation and the sign-out button. It never
    raises: Dash evaluates the layout to set itself up on a worker's first request (even
    /healthz), and an error there would leave that worker without its callbacks for good. With
    the store out of reach the frame shows without the sample banner or the account, and the page
    inside answers 503."""
    try:
        principal = current_principal()
        is_sample = current_dataset().is_sample
    except Exception:  # noqa: BLE001 (logged; the page's own request reports it)
        logging.getLogger("dashboard.store").exception("the dataset did not load for the shell")
        return app_shell(dash.page_container, False, None, None)
    role = principal.role if principal else None
    account = (signed_in_as(principal.name, principal.role, generate_csrf())
               if principal and not principal.is_token else None)
    # The plan switcher is for those who read the pages; a display shows the current plan.
    switcher = switcher_view() if may(role, Permission.READ) else None
    return app_shell(dash.page_container, is_sample, role, account, switcher)


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    """The store's options, for the server and after every command (SUPPRESS: a command's
    default never hides a value given before the command)."""
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="where anything the app writes goes (default: ./var)")
    parser.add_argument("--database-url", default=argparse.SUPPRESS,
                        help="the store's database (default: SQLite in the data dir)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--published-dir", type=Path, default=Settings.published_dir,
                        help="DfE published statistics for comparators (default: "
                             "../shared/data/published when present, else the sample)")
    parser.add_argument("--debug", action="store_true")
    _add_store_options(parser)
    commands_parser = parser.add_subparsers(dest="command", metavar="{users,tokens}")
    for noun, verbs in (("users", ("create", "list", "disable")),
                        ("tokens", ("create", "list", "revoke"))):
        noun_parser = commands_parser.add_parser(noun, help=f"manage {noun}")
        verb_parsers = noun_parser.add_subparsers(dest="verb", required=True)
        for verb in verbs:
            verb_parser = verb_parsers.add_parser(verb)
            _add_store_options(verb_parser)
            if verb != "list":
                verb_parser.add_argument("name")
            if verb == "create":
                verb_parser.add_argument("--role", required=True, choices=ROLES)
    return parser


def run_command(args: argparse.Namespace, settings: Settings, stdin=None, out=None,
                err=None) -> int:
    """A `users` or `tokens` command on the store in the settings; its exit status."""
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                       settings.progress_path)
    accounts = SqlAccounts.of_store(store)
    try:
        match args.command, args.verb:
            case "users", "create":
                return commands.users_create(accounts, args.name, args.role, stdin, out, err)
            case "users", "list":
                return commands.users_list(accounts, out)
            case "users", "disable":
                return commands.users_disable(accounts, args.name, err)
            case "tokens", "create":
                return commands.tokens_create(accounts, args.name, args.role, out, err)
            case "tokens", "list":
                return commands.tokens_list(accounts, out)
            case "tokens", "revoke":
                return commands.tokens_revoke(accounts, args.name, err)
        raise ValueError(f"unknown command {args.command} {args.verb}")
    finally:
        store.dispose()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    environment = Settings.from_environment()
    if argv and argv[0] in STORE_COMMANDS:
        sys.exit(store_command(argv, environment))
    args = _parser().parse_args(argv)
    settings = dataclasses_replace(
        environment, data_dir=getattr(args, "data_dir", environment.data_dir),
        database_url=getattr(args, "database_url", environment.database_url),
        published_dir=args.published_dir or environment.published_dir,
        public_url=environment.public_url or f"http://{args.host}:{args.port}")
    configure_logging()
    if args.command:
        sys.exit(run_command(args, settings))
    try:
        app = create_app(settings)
    except StoreNewerThanCode as error:
        sys.exit(str(error))
    app.run(host=args.host, port=args.port, debug=args.debug)


# --- backup and restore --------------------------------------------------------------------------

STORE_COMMANDS = ("backup", "restore")
PG_DUMP_HINT = ("The store is in PostgreSQL: back it up with its own tools, e.g.\n"
                "  pg_dump --format=custom --file=FILE DBNAME\n"
                "  pg_restore --clean --if-exists --no-owner --dbname=DBNAME FILE\n"
                "(see the README's \"Running in production\").")


def store_command(argv: list[str], environment: Settings) -> int | str:
    """`backup FILE` or `restore FILE` on the SQLite store; 0, or the message to exit with."""
    parser = argparse.ArgumentParser(prog=f"app.py {argv[0]}")
    parser.add_argument("file", type=Path)
    _add_store_options(parser)
    args = parser.parse_args(argv[1:])
    settings = Settings(data_dir=getattr(args, "data_dir", environment.data_dir),
                        database_url=getattr(args, "database_url", environment.database_url))
    try:
        store_file = sqlite_file_of(settings.store_url)
        if store_file is None:
            return PG_DUMP_HINT
        if argv[0] == "backup":
            backup(store_file, args.file)
            sys.stdout.write(f"Backed up {store_file} to {args.file}\n")
        else:
            restored = restore(args.file, store_file)
            sys.stdout.write(f"Restored {store_file} from {args.file}: "
                             f"{len(restored.batches())} batches\n")
            restored.dispose()
    except StoreUnavailable as error:
        return f"{argv[0]}: {settings.database_setting}: {error}"
    except (NotAStore, StoreNewerThanCode) as error:
        return f"{argv[0]}: {error}"
    return 0


@functools.cache
def _wsgi_server():
    """One app per process: every request a WSGI worker serves goes to this one Flask app."""
    configure_logging()
    return create_app(Settings.from_environment()).server


def __getattr__(name: str):
    # A WSGI server asks for `app:server`; the app is built the first time, and only then, so
    # importing this module (tests, the command line) builds nothing.
    if name == "server":
        return _wsgi_server()
    raise AttributeError(name)


if __name__ == "__main__":
    main()
