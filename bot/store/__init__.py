"""Storage: SQLAlchemy models, the database, and the engine's store on top of them."""

from .database import Database, StoreError, default_database_url, normalise_url
from .export import answer_versions, export_owner, load_application
from .repository import DuplicateEvent, SqlStore, chat_store, count_parts

__all__ = ["Database", "answer_versions", "DuplicateEvent", "SqlStore", "StoreError", "chat_store", "count_parts",
           "default_database_url", "export_owner", "load_application", "normalise_url"]
