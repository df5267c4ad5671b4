"""The database: engine set-up, migrations, and one transaction per chat event.

``DATABASE_URL`` selects the database. The default is a SQLite file under ``instance/``
in WAL mode; PostgreSQL (``postgresql+psycopg://…``) works the same.

Events of one chat are serialised through the database, not an in-process lock, so that
several gunicorn workers (or machines) can take LINE's deliveries at once: on PostgreSQL
the chat's ``owners`` row is locked ``FOR UPDATE``; on SQLite writers take turns
(:mod:`bot.store.write_turn`), a transaction holding the turn starts with ``BEGIN
IMMEDIATE``, and an event's reads before its first write are checked, not locked.

SQLite's log is copied back into the file by a thread of each writing process, never by a
commit holding the write turn (:mod:`bot.store.checkpoint`).

A SQLite file is created readable by its owner only (0600; SQLite gives its ``-wal`` and
``-shm`` files the same mode), and every connection runs with ``secure_delete`` so that
deleted rows are overwritten rather than left in free pages.
"""

from __future__ import annotations

import fcntl
import logging
import os
import weakref
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.coach.ports import StoreError  # the engine's side owns it; re-exported here

from .checkpoint import BACKSTOP_PAGES, Checkpointer
from .write_turn import READ_FIRST, ReadFirst, WriteTurn, reading, writes

if TYPE_CHECKING:  # Alembic is imported by the methods that migrate: only at start-up
    from alembic.config import Config

log = logging.getLogger("bot.store")

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
#: Any fixed number; PostgreSQL sessions that migrate take this advisory lock in turn.
MIGRATION_LOCK_KEY = 0x6C657274  # "lert"
#: A pooled connection older than this is closed and opened anew when next checked out.
POOL_RECYCLE_SECONDS = 30 * 60
#: The newest migration's revision. Start-up and the health check compare the database's with
#: it in one query, and load Alembic (5 MB more in every gunicorn worker, shared from the
#: master) only when there is something to migrate. tests/test_migrations_head.py holds it
#: to the head of Alembic's own script directory.
SCHEMA_HEAD = "0012"
#: The execution option that makes a transaction a reader's (see :meth:`Database.reading`).
READ_ONLY = "lertrat_read_only"


def web_threads(environ: Mapping[str, str]) -> int:
    """Return the threads of a gunicorn worker, ``WEB_THREADS`` (default 4)."""
    return int(environ.get("WEB_THREADS", "4") or 4)


def pool_size(environ: Mapping[str, str]) -> dict[str, int]:
    """Return the connection pool's size per process, for gunicorn ``gthread`` workers.

    Each worker thread holds at most one connection at a time (an event's transaction, or
    the read before it, never both), so the pool holds ``WEB_THREADS`` (default 4)
    connections, and ``DATABASE_POOL_OVERFLOW`` (default 2) more for the other threads of
    the worker (the outbox sender, the draft builds). ``DATABASE_POOL_SIZE`` overrides the
    first. PostgreSQL needs ``workers × (pool + overflow)`` connections per machine.
    """
    size = int(environ.get("DATABASE_POOL_SIZE", "") or web_threads(environ))
    return {"pool_size": max(1, size),
            "max_overflow": max(0, int(environ.get("DATABASE_POOL_OVERFLOW", "2") or 2))}


def sqlite_pool_size(environ: Mapping[str, str]) -> dict[str, int]:
    """Return the connection pool's size per process on SQLite.

    A writer checks its connection out before it waits for SQLite's write turn
    (:meth:`Database.writer`), so every thread of a worker that writes (``WEB_THREADS``, the
    outbox sender, the purge) may hold one while it waits, and the one holding the turn may
    open one more (a WAL checkpoint after a deletion). SQLite's connections are only open
    files: the pool keeps room for all of them and ten more, so the writer holding the turn
    never waits for a connection that a writer waiting for the turn holds.
    """
    return {"pool_size": max(5, web_threads(environ) + 2), "max_overflow": 10}


def default_database_url() -> str:
    """Return ``DATABASE_URL``, or a SQLite file under ``instance/``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return normalise_url(url)
    instance = PROJECT_DIR / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'lertrat.sqlite3'}"


def normalise_url(url: str) -> str:
    """Make ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout, and begin transactions IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # Checkpoints run in a thread of their own (bot.store.checkpoint), not in a commit.
        cursor.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Take the write lock at the start, so two writers never deadlock on an upgrade;
        # a reader (Database.reading), and a writer that reads first (ReadFirst) until its
        # first write, begins deferred and never waits for a writer (WAL).
        options = connection.get_execution_options()
        if options.get(READ_ONLY) or options.get(READ_FIRST) is not None:
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(connection: Connection, cursor, statement: str, *_args) -> None:
        if writes(statement) and (reader := reading(connection)) is not None:
            reader.take_turn(cursor.connection)


class Database:
    """One database: its engine, its session factory and its migrations."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = normalise_url(url) if url else default_database_url()
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            self._ensure_sqlite_folder()
            self.engine = create_engine(self.url, echo=echo, hide_parameters=True,
                                        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                                      "check_same_thread": False},
                                        **(sqlite_pool_size(os.environ)
                                           if self.sqlite_path is not None else {}))
            _configure_sqlite(self.engine)
        else:
            # No pre-ping (a round trip per checkout): connections are recycled instead,
            # and one the server dropped fails its event, which LINE delivers again.
            self.engine = create_engine(self.url, echo=echo, hide_parameters=True,
                                        pool_recycle=POOL_RECYCLE_SECONDS,
                                        **pool_size(os.environ))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        path = self.sqlite_path
        #: SQLite's writers take turns in a queue (bot.store.write_turn); None on PostgreSQL.
        self._write_turn: WriteTurn | None = None
        #: Checkpoints the SQLite file's log off the write turn, from the process's first write.
        self.checkpointer: Checkpointer | None = None
        if path is not None:
            self._write_turn = WriteTurn(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
            self.checkpointer = Checkpointer(path, self._write_turn)
            weakref.finalize(self, self.checkpointer.stop, 0)

    def _ensure_sqlite_folder(self) -> None:
        """Make the SQLite file's folder, and the file itself readable by its owner only."""
        path = self.sqlite_path
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if file.exists():
                file.chmod(0o600)  # a file made by an earlier version may be world-readable

    def checkpoint(self) -> None:
        """Copy SQLite's WAL into the database file and truncate it (nothing on PostgreSQL)."""
        if not self.is_sqlite:
            return
        # A raw connection runs the pragma outside a transaction (no BEGIN IMMEDIATE).
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            connection.close()

    @property
    def sqlite_path(self) -> Path | None:
        """Return the SQLite file, or None for PostgreSQL and in-memory SQLite."""
        if not self.is_sqlite:
            return None
        name = make_url(self.url).database
        if not name or name == ":memory:":
            return None
        return Path(name)

    def dispose(self) -> None:
        """Close every pooled connection, and the checkpoints' (call in a worker after fork,
        or before forking one: the next write opens them again)."""
        self.engine.dispose()
        if self.checkpointer is not None:
            self.checkpointer.stop()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold this database's turn to write (SQLite: see bot.store.write_turn; else nothing)."""
        if self._write_turn is None:
            yield
            return
        if self.checkpointer is not None:
            self.checkpointer.ensure_running()
        with self._write_turn():
            yield

    @contextmanager
    def writer(self, *, reads_first: bool = False) -> Iterator[Session]:
        """Yield a session for one write transaction, held in this database's turn to write.

        The pool's and the session's part (checking a connection out and resetting it as it
        goes back, making the session and closing it) is done before the turn is taken and
        after it is given back: on SQLite one writer at a time holds the turn, so what is
        done inside it bounds the events per second.

        With ``reads_first`` on a SQLite file, the transaction reads in a snapshot, outside
        the turn, until its first write (:class:`ReadFirst`); elsewhere it changes nothing.
        """
        with (self.engine.connect() as connection, self.sessions(bind=connection) as session,
              ExitStack() as held):
            if reads_first and self._write_turn is not None:
                connection.execution_options(**{READ_FIRST: ReadFirst(self.writing, held)})
            else:
                held.enter_context(self.writing())
            yield session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a session in a transaction; commit on success, roll back on error."""
        try:
            with self.writer() as session, session.begin():
                yield session
        except (DBAPIError, SQLAlchemyError) as exc:
            raise StoreError(f"database error: {type(exc).__name__}") from exc

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Open a connection in a write transaction, without a session (a few Core statements:
        the outbox's); commit on success, roll back on error."""
        try:
            with self.engine.connect() as connection, self.writing(), connection.begin():
                yield connection
        except (DBAPIError, SQLAlchemyError) as exc:
            raise StoreError(f"database error: {type(exc).__name__}") from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Open a session for reading only, outside any chat's lock; nothing it does is kept.

        On SQLite it begins a deferred transaction (plain ``BEGIN``), which reads a snapshot
        and neither takes nor waits for the write lock; on PostgreSQL reads never wait for
        writers. The transaction is rolled back at the end.
        """
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{READ_ONLY: True})
                with Session(connection) as session:
                    yield session
        except (DBAPIError, SQLAlchemyError) as exc:
            raise StoreError(f"database error: {type(exc).__name__}") from exc

    # Migrations -------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        """Return an Alembic configuration that points at this database."""
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def current_revision(self) -> str | None:
        """Return the migration the database is at; None when it has none (a new database).

        A database that does not answer raises, as any query would.
        """
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            revision = connection.execute(text("SELECT version_num FROM alembic_version"))
            return revision.scalar()

    def is_up_to_date(self) -> bool:
        """Tell whether the schema is at the newest migration (one query, no Alembic)."""
        return self.current_revision() == SCHEMA_HEAD

    def upgrade(self) -> None:
        """Bring the schema up to date; safe when several processes start at once.

        A database at :data:`SCHEMA_HEAD` already is left as it is without loading Alembic.
        """
        if self.is_up_to_date():
            log.info("database schema is up to date")
            return
        from alembic import command

        with self._migration_lock() as connection:
            config = self.alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        log.info("database schema is up to date")

    @contextmanager
    def _migration_lock(self) -> Iterator[Connection]:
        """Hold a lock that only one migrating process can hold at a time."""
        with self.process_lock("migrate", MIGRATION_LOCK_KEY) as connection:
            assert connection is not None  # waiting, the lock is always had
            yield connection

    @contextmanager
    def process_lock(self, name: str, key: int, *,
                     wait: bool = True) -> Iterator[Connection | None]:
        """Hold a lock only one process can hold at a time, and yield a connection.

        PostgreSQL: the session advisory lock ``key``; SQLite: a lock file beside the database
        named after ``name`` (an in-memory database belongs to one process: always had). With
        ``wait=False`` it yields None at once when another process holds the lock.
        """
        if self.is_sqlite:
            with self._sqlite_file_lock(name, wait=wait) as held:
                if not held:
                    yield None
                    return
                with self.engine.connect() as connection:
                    yield connection
            return
        with self.engine.connect() as connection:
            take = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
            taken = connection.execute(text(f"SELECT {take}(:key)"), {"key": key}).scalar()
            connection.commit()
            if not wait and not taken:
                yield None
                return
            try:
                yield connection
                connection.commit()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()

    @contextmanager
    def _sqlite_file_lock(self, name: str, *, wait: bool) -> Iterator[bool]:
        """Hold ``<database>.<name>.lock``; yield whether it is held (always, when waiting)."""
        path = self.sqlite_path
        if path is None:
            yield True
            return
        with open(path.with_name(f"{path.name}.{name}.lock"), "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
