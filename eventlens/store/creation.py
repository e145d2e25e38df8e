"""Creating a brand-new store without Alembic: the tables from the metadata and Alembic's version row.

Importing Alembic costs about 0.2 s, and a woken cloud app creates its store on its first visitor's
page run. An empty database needs no migration history: it gets the newest schema straight from
:data:`eventlens.store.schema.metadata` and the ``alembic_version`` table Alembic itself would write
(same name, column and primary key), stamped with the newest revision, in the caller's transaction.
Alembic then upgrades such a store later exactly as one it migrated; a test checks that both ways
give the same schema, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.store import schema

# As alembic.runtime.migration.MigrationContext defines it (version_table_pk=True, the default).
ALEMBIC_VERSION = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def create_if_empty(conn: Connection, head: str) -> bool:
    """Create the newest schema, stamped ``head``, if the database holds no table at all; True if it did.

    Run inside the caller's write transaction (which serialises first visits), so a database another
    process filled meanwhile, or one holding tables that are not ours, is left to the Alembic path.
    """
    if sa.inspect(conn).get_table_names():
        return False
    schema.metadata.create_all(conn, checkfirst=False)
    ALEMBIC_VERSION.create(conn, checkfirst=False)
    conn.execute(ALEMBIC_VERSION.insert().values(version_num=head))
    return True
