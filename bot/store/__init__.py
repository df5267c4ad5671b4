"""Storage: SQLAlchemy models, the database, and the engine's store on top of them.

:class:`DuplicateEvent` and :class:`StoreError` belong to the engine's side
(:mod:`bot.coach.ports`) and are re-exported here for the code that imports them from here.
"""

from bot.coach.ports import DuplicateEvent, StoreError

from .database import Database, default_database_url, normalise_url
from .export import answer_versions, count_parts, export_owner, load_application
from .repository import SqlStore, SqlStoreOpener, chat_store

__all__ = ["Database", "DuplicateEvent", "SqlStore", "SqlStoreOpener", "StoreError",
           "answer_versions", "chat_store", "count_parts", "default_database_url",
           "export_owner", "load_application", "normalise_url"]
