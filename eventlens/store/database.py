"""Which database the store uses, and how a failure to reach it becomes one sentence.

The default is an SQLite file in the state folder, so a fresh clone needs no
configuration; any SQLAlchemy URL replaces it (``EVENTLENS_DB_URL`` for the
CLI and tests, ``[connections.eventlens]`` in Streamlit's secrets for the
app). PostgreSQL is the one documented and tested beside SQLite.

SQLite needs two settings to be a fair shared store: a busy timeout, so a
writer waits for another instead of failing at once, and ``BEGIN IMMEDIATE``
for write transactions, so two read-modify-write cycles serialise at their
start instead of deadlocking when both try to upgrade a read lock.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import urllib.parse
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import URL, make_url

from eventlens.errors import UserError
from eventlens.paths import state_dir

DEFAULT_FILE = "eventlens.sqlite"
SQLITE_BUSY_MS = 30_000
CONNECT_TIMEOUT_S = 5
WRITE = "eventlens_write"  # execution option that marks a write transaction

_configured: weakref.WeakSet[Engine] = weakref.WeakSet()


class StoreError(UserError):
    """The store refused a change or holds something it cannot use; one sentence for the user."""


class StoreUnavailable(StoreError):
    """The database cannot be reached, opened or read (nothing was changed)."""


class StoreReadOnly(StoreUnavailable):
    """The database can be read but not written."""


def database_url() -> str:
    """``EVENTLENS_DB_URL`` if set, else the SQLite file in the state folder."""
    url = os.environ.get("EVENTLENS_DB_URL", "").strip()
    return url or f"sqlite:///{state_dir() / DEFAULT_FILE}"


def describe(url: str | URL) -> str:
    """Where the store is, for messages: the file for SQLite, host and database otherwise (never a password)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database or ':memory:'}"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"the {parsed.get_backend_name()} database {parsed.database or ''} on {host}{port}"


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` with the store's settings (see :func:`configure`)."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreUnavailable("The store's database URL is not a valid URL (see EVENTLENS_DB_URL or the "
                               "app's secrets).") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        kwargs["pool_pre_ping"] = True
    prepare_folder(parsed)
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(f"No database driver for {parsed.drivername} is installed.") from exc
    configure(engine)
    return engine


def prepare_folder(url: str | URL) -> None:
    """Create the folder of an SQLite file (the state folder is not in git, so a fresh clone lacks it)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    folder = os.path.dirname(os.path.abspath(parsed.database))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"The store's folder {folder} cannot be created ({exc.strerror}).") from exc


def configure(engine: Engine) -> Engine:
    """Give an engine made elsewhere (``st.connection``) the store's SQLite settings; idempotent."""
    if engine in _configured:
        return engine
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_connect)
        sa_event.listen(engine, "begin", _sqlite_begin)
        engine.dispose()  # connections opened before the listeners would lack them
    _configured.add(engine)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver's own BEGIN is replaced by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Reads are single statements and need no transaction of their own (each sees one consistent snapshot).
    if conn.get_execution_options().get(WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def translated(engine: Engine) -> Iterator[None]:
    """Turn a driver's failure into :class:`StoreUnavailable` with a sentence of ours (nothing else leaks)."""
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.ProgrammingError,
            sa.exc.DatabaseError) as exc:
        if isinstance(exc, sa.exc.IntegrityError):
            raise
        raise unavailable(engine, exc) from exc


def unavailable(engine: Engine, exc: BaseException) -> StoreUnavailable:
    """The sentence for a database failure, by what the driver said."""
    where = describe(engine.url)
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return StoreReadOnly(f"The store ({where}) is read-only here: nothing can be saved; the events are shown "
                             "as stored.")
    if "file is not a database" in text or "malformed" in text or "not a database" in text:
        return StoreUnavailable(f"The store ({where}) is not a readable database (damaged or not SQLite). It was "
                                "left as it is: move it aside or restore a backup.")
    if "unable to open" in text:
        return StoreUnavailable(f"The store ({where}) cannot be opened: its folder is missing or not writable.")
    if "password" in text or "authentication" in text or ("role" in text and "does not exist" in text):
        return StoreUnavailable(f"The database refused the store's credentials ({where}); check the user and "
                                "password in the secrets or EVENTLENS_DB_URL.")
    if "database" in text and "does not exist" in text:
        return StoreUnavailable(f"The database named in the store's URL does not exist ({where}).")
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return StoreUnavailable(f"The store ({where}) lacks its tables; it was not created by this app.")
    if "locked" in text or "timeout" in text or "timed out" in text:
        return StoreUnavailable(f"The store ({where}) stayed busy too long; try again.")
    return StoreUnavailable(f"The store ({where}) cannot be reached right now; nothing was changed.")


class SqliteProbe:
    """A private connection for the store's revision, read on every page run.

    Checking a connection out of SQLAlchemy's pool and returning it costs about ten times
    the indexed read itself; the app asks "did the store change?" on every rerun, so SQLite
    stores answer it on one long-lived connection (opened read-write without creating a
    missing file, serialised by a lock, reopened after a failure).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        url = engine.url
        database = url.database or ""
        if str(url.query.get("uri", "")).lower() in ("true", "1"):
            self.target = database
        else:
            self.target = f"file:{urllib.parse.quote(os.path.abspath(database))}?mode=rw"
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @staticmethod
    def usable(engine: Engine) -> bool:
        return engine.dialect.name == "sqlite" and (engine.url.database or ":memory:") != ":memory:"

    def scalar(self, sql: str) -> Any:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(self.target, uri=True, check_same_thread=False,
                                                 isolation_level=None, timeout=SQLITE_BUSY_MS / 1000)
                row = self._conn.execute(sql).fetchone()
            except sqlite3.Error as exc:
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
                raise unavailable(self.engine, exc) from exc
        return row[0] if row else None
