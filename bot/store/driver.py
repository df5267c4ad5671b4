"""The answer path's writes, compiled by SQLAlchemy once and run on the driver's connection.

An answer event writes three rows while it holds SQLite's write turn (its part, the chat's
state, the event id with its outbox row), and on SQLite one writer at a time holds it, so
what each write costs inside bounds the events per second. Through ``Connection.execute``
SQLAlchemy spends about 37 µs of Python on each (an execution context, the compiled cache's
lookup, a result object), twice what the driver and SQLite spend (``bench/event_cpu.py``).
A :class:`DriverStatement` is the same statement, compiled by SQLAlchemy for the
connection's dialect once, its values converted by each bound type's own
``bind_processor`` for the dialect (SQLite's dates as SQLAlchemy writes them, JSON as its
serializer does; ``tests/test_driver.py`` compares them with SQLAlchemy's own),
and run on the driver's connection inside the connection's transaction.

What SQLAlchemy would do around a write is done here too: a transaction reading first
(:class:`~bot.store.write_turn.ReadFirst`) takes the write turn before it, every
statement is told to :data:`LISTENERS` (what tests and ``bench/statements.py`` count), and
the driver's errors are raised as SQLAlchemy's (a connection the server dropped let go).

One read runs here too (:meth:`DriverStatement.first`): a draft file, which PostgreSQL's
driver is asked for in binary, its bytes as they are (:mod:`bot.store.draft_files`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from .write_turn import reading, writes

#: Called with the connection, the SQL and the driver's arguments (a list of them when run
#: over many rows) of every statement a DriverStatement runs, before it runs.
LISTENERS: list[Callable[[Connection, str, Any], None]] = []


@dataclass(frozen=True)
class _Compiled:
    """A statement's SQL for one dialect, its parameters' order and their converters."""

    sql: str
    compiled: Any
    names: tuple[str, ...] | None  # positional parameters' order; None: named (psycopg)
    converters: dict[str, Callable[[Any], Any] | None]

    def arguments(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """Return the driver's arguments for one row of values."""
        complete = self.compiled.construct_params(dict(values))
        converted = {name: (convert(value) if (convert := self.converters.get(name)) else value)
                     for name, value in complete.items()}
        if self.names is None:
            return converted
        return tuple(converted[name] for name in self.names)


class DriverStatement:
    """One write statement, compiled per dialect once, run on the driver's connection."""

    def __init__(self, statement: ClauseElement) -> None:
        """Run ``statement`` (a Core INSERT or UPDATE, or a typed text statement)."""
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled: Any = self.statement.compile(dialect=dialect)
            positional = compiled.positiontup
            found = _Compiled(
                sql=compiled.string, compiled=compiled,
                names=tuple(positional) if positional is not None else None,
                converters={name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                            for name, bind in compiled.binds.items()})
            self._compiled[dialect.name] = found
        return found

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        """Run the statement with one row of ``values``; return the driver's cursor."""
        compiled = self._for(connection.dialect)
        arguments = compiled.arguments(values)
        with _as_sqlalchemy(connection, compiled.sql):
            driver = self._driver(connection, compiled.sql, arguments)
            return driver.execute(compiled.sql, arguments)

    def first(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        """Run the (SELECT) statement with one row of ``values``; return its first row, as
        the driver gives it (no SQLAlchemy type processing), or None.

        PostgreSQL's driver (psycopg) is asked for the results in binary format, so that a
        ``bytea`` comes as its bytes, not as hex text twice its size that the server writes
        and the driver decodes.
        """
        compiled = self._for(connection.dialect)
        arguments = compiled.arguments(values)
        binary = {"binary": True} if connection.dialect.name == "postgresql" else {}
        with _as_sqlalchemy(connection, compiled.sql):
            driver = self._driver(connection, compiled.sql, arguments)
            return driver.execute(compiled.sql, arguments, **binary).fetchone()

    def execute_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        """Run the statement once per row of ``rows``; return how many rows it changed."""
        compiled = self._for(connection.dialect)
        arguments = [compiled.arguments(row) for row in rows]
        with _as_sqlalchemy(connection, compiled.sql):
            cursor = self._driver(connection, compiled.sql, arguments).cursor()
            try:
                cursor.executemany(compiled.sql, arguments)
                return int(cursor.rowcount)
            finally:
                cursor.close()

    @staticmethod
    def _driver(connection: Connection, sql: str, arguments: Any) -> Any:
        """Return the driver's connection, in the transaction SQLAlchemy began, ready to write."""
        if not connection.in_transaction():
            connection.begin()
        driver = connection.connection.driver_connection
        if writes(sql) and (reader := reading(connection)) is not None:
            reader.take_turn(driver)
        for listener in LISTENERS:
            listener(connection, sql, arguments)
        return driver


@contextmanager
def _as_sqlalchemy(connection: Connection, sql: str) -> Iterator[None]:
    """Raise the driver's errors as SQLAlchemy raises them (``DBAPIError`` and its kinds,
    parameters hidden), and let go of a connection the server dropped, as it would."""
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, connection.connection.driver_connection, None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error,
                                  hide_parameters=True, connection_invalidated=lost,
                                  dialect=dialect) from error
