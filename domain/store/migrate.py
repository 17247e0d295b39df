"""The store's schema versions, kept by Alembic (`migrations/`): `upgrade` brings a database to the
newest revision this code knows, inside the caller's transaction (which holds the writer lock, so
workers starting at once upgrade one after another: the first does the work, the rest find it
done).

- A store made before migrations existed (the release at f88209a) has today's tables and no
  `alembic_version`: it is stamped with the first revision, whose schema it has, then upgraded.
- A store at a revision this code does not know was upgraded by a later release: StoreNewerThanCode,
  naming both versions, and nothing is touched.
- A new revision: `alembic -c domain/store/alembic.ini revision -m "what changes"` (see README.md).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from domain.store.repository import StoreNewerThanCode

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The schema of the last release before migrations: revision 0001 creates exactly those tables.
RELEASE_BEFORE_MIGRATIONS = "0001"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def code_revision() -> str:
    """The newest revision this code knows (the one `upgrade` brings a store to)."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(conn: Connection) -> None:
    """Bring the schema to `code_revision()` on `conn`, in its open transaction."""
    config = _config(conn)
    script = ScriptDirectory.from_config(config)
    current = current_revision(conn)
    if current is None and inspect(conn).has_table("batches"):
        command.stamp(config, RELEASE_BEFORE_MIGRATIONS)
    elif current is not None and not _is_known(script, current):
        raise StoreNewerThanCode(current, script.get_current_head())
    command.upgrade(config, "head")
