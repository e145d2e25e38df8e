"""Run the Alembic migrations on a connection (kept apart so the app imports alembic only when upgrading)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Bring the schema to ``revision``; existing rows are kept (migrations only add)."""
    command.upgrade(config(conn), revision)


def known_revisions() -> set[str]:
    """Every revision this version of the app has a migration for."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(config()).walk_revisions()}
