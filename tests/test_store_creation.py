"""A new store is created without Alembic, yet is the same store the migrations build, on SQLite and PostgreSQL.

Every test here runs twice (``store_url`` is parametrised over both backends). The schemas are compared as
SQLAlchemy reflects them from the database (tables, ordered columns with type, nullability, default and
autoincrement, primary keys, indexes, unique constraints, foreign keys, checks), never from our metadata.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventlens import events
from eventlens.store import open_store
from eventlens.store.database import create_store_engine
from eventlens.store.repository import HEAD

REPO = Path(__file__).resolve().parent.parent


def reflected_schema(engine: sa.Engine) -> dict:
    insp = sa.inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        pk = insp.get_pk_constraint(table)
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"), c.get("autoincrement"))
                        for c in insp.get_columns(table)],
            "primary_key": (pk.get("name"), pk["constrained_columns"]),
            "indexes": sorted((i["name"], i["column_names"], bool(i["unique"])) for i in insp.get_indexes(table)),
            "unique": sorted((u["name"] or "", u["column_names"]) for u in insp.get_unique_constraints(table)),
            "foreign_keys": sorted((f["name"] or "", f["constrained_columns"], f["referred_table"],
                                    f["referred_columns"], sorted(f["options"].items()))
                                   for f in insp.get_foreign_keys(table)),
            "checks": sorted((c["name"] or "", c["sqltext"]) for c in insp.get_check_constraints(table)),
        }
    return out


def another_database(store_url: str, request: pytest.FixtureRequest, tmp_path: Path, name: str) -> str:
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    return request.getfixturevalue("postgres").new_database()


def migrated_by_alembic(url: str, revision: str = "head", script_location: Path | None = None) -> sa.Engine:
    from alembic import command

    from eventlens.store.migrations_runner import config

    engine = create_store_engine(url)
    with engine.begin() as conn:
        cfg = config(conn)
        if script_location is not None:
            cfg.set_main_option("script_location", str(script_location))
        command.upgrade(cfg, revision)
    return engine


def version_row(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def test_a_new_store_made_without_alembic_has_the_migrated_schema(store_url: str, request, tmp_path: Path) -> None:
    fast = open_store(create_store_engine(store_url), events.seed_articles)
    migrated = migrated_by_alembic(another_database(store_url, request, tmp_path, "migrated"))
    made, expected = reflected_schema(fast.engine), reflected_schema(migrated)
    assert set(made) == {"alembic_version", "articles", "corrections", "event_articles", "events", "store_meta"}
    assert made == expected
    # The checks above see what matters: the column Alembic adds later and the index it creates.
    assert made["events"]["columns"][-1][0] == "version" and "1" in str(made["events"]["columns"][-1][3])
    assert [i[0] for i in made["corrections"]["indexes"]] == ["ix_corrections_event_id"]
    assert version_row(fast.engine) == version_row(migrated) == [HEAD]
    assert len(fast.article_ids()) == 5 and fast.revision() >= 1


def _open_in_a_new_process() -> list[str]:
    code = ("import sys; from eventlens import events; from eventlens.store import open_store;"
            "from eventlens.store.database import create_store_engine, database_url;"
            "s = open_store(create_store_engine(database_url()), events.seed_articles);"
            "print(len(s.article_ids()), s.schema_revision(), 'alembic' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


def test_creating_and_reopening_a_store_never_imports_alembic(store_url: str) -> None:
    assert _open_in_a_new_process() == ["5", HEAD, "False"]  # created and seeded
    assert _open_in_a_new_process() == ["5", HEAD, "False"]  # reopened: at the newest revision, seeded once


def test_a_store_made_without_alembic_is_upgraded_by_a_later_migration_like_a_migrated_one(
        store_url: str, request, tmp_path: Path) -> None:
    fast = open_store(create_store_engine(store_url), events.seed_articles)
    migrated = migrated_by_alembic(another_database(store_url, request, tmp_path, "migrated"))
    # A future revision, as the app's next version would bring it: a new column with a default and an index.
    scripts = tmp_path / "migrations"
    shutil.copytree(REPO / "eventlens" / "store" / "migrations", scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0003_later.py").write_text(
        f'revision = "0003"\ndown_revision = "{HEAD}"\nbranch_labels = None\ndepends_on = None\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('events') as batch:\n"
        "        batch.add_column(sa.Column('reviewed', sa.Boolean, nullable=False, server_default=sa.false()))\n"
        "    op.create_index('ix_events_trading_date', 'events', ['trading_date'])\n")
    fast.engine.dispose()
    upgraded = migrated_by_alembic(store_url, "head", scripts)
    migrated_by_alembic(str(migrated.url.render_as_string(hide_password=False)), "head", scripts)
    assert version_row(upgraded) == version_row(migrated) == ["0003"]
    assert reflected_schema(upgraded) == reflected_schema(migrated)
    with upgraded.connect() as conn:
        rows = conn.execute(sa.text("SELECT event_id, version, reviewed FROM events")).all()
    assert len(rows) == 5 and all(r[1] == 1 and not r[2] for r in rows)  # the seeds kept, defaults filled
