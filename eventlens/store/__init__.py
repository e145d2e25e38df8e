"""The store of articles, events and corrections: one SQL database behind SQLAlchemy 2.

``open_store(engine, seeds)`` creates the tables (a new store, without
Alembic) or upgrades them (Alembic) and fills a new store from the seed articles; :class:`Store` reads and writes;
:mod:`eventlens.store.backup` turns a store into one file and back.
"""

from eventlens.store.database import StoreError, StoreReadOnly, StoreUnavailable
from eventlens.store.repository import ConflictError, DuplicateError, NewArticle, Store
from eventlens.store.setup import open_store

__all__ = ["ConflictError", "DuplicateError", "NewArticle", "Store", "StoreError", "StoreReadOnly",
           "StoreUnavailable", "open_store"]
