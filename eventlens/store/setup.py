"""Opening a store: bring its schema up to date, then fill a new one from the seeds."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.engine import Engine

from eventlens.store.database import configure
from eventlens.store.repository import NewArticle, Store


def open_store(engine: Engine, seeds: Callable[[], Iterable[NewArticle]] | None = None) -> Store:
    """A ready store on ``engine``: migrated to the newest schema and, the first time, filled with ``seeds``.

    An existing store is upgraded in place, never rebuilt; a store that cannot be read raises
    :class:`~eventlens.store.StoreUnavailable` and is left untouched.
    """
    store = Store(configure(engine))
    store.migrate()
    if seeds is not None:
        store.seed(seeds)
    return store
