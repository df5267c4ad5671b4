"""Shared fixtures: stores (memory, SQLite always, PostgreSQL when it answers) and a chat driver.

Engine tests drive a chat in memory (``memory_chat``); ``chat`` drives one on SQLite and on
PostgreSQL, and ``any_chat`` on all three, for what must hold on every store.

PostgreSQL: ``TEST_POSTGRES_URL`` (or ``DATABASE_URL`` when it points at PostgreSQL), else
``postgresql+psycopg://postgres@127.0.0.1:5432/test``. Each test gets its own schema,
dropped afterwards. When no server answers, the PostgreSQL variants are skipped, except
under CI with ``REQUIRE_POSTGRES=1``, where that is an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import pytest
from sqlalchemy import create_engine, text

from bot.coach.memory import MemoryDatabase
from bot.coach.messages import Event, Reply
from bot.store import Database, normalise_url

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: Where a :class:`Chat` keeps its data when it is given this instead of a database URL.
MEMORY = "memory"


def postgres_base_url() -> str:
    """Return the PostgreSQL server the tests use."""
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        url = os.environ["DATABASE_URL"]
    return normalise_url(url or DEFAULT_POSTGRES)


@lru_cache(maxsize=1)
def postgres_available() -> str | None:
    """Return None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(postgres_base_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means: not available here
        return f"PostgreSQL not reachable at {postgres_base_url()}: {type(exc).__name__}"


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """Return the URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'lertrat.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Return the URL of a fresh PostgreSQL schema, dropped after the test."""
    reason = postgres_available()
    if reason is not None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = postgres_base_url()
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """Return a fresh database URL: once SQLite, once PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """Return a fresh database at the schema's head: once SQLite, once PostgreSQL."""
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture(params=[MEMORY, "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request) -> str:
    """Return where to store: once in memory (``MEMORY``), once SQLite, once PostgreSQL."""
    if request.param == MEMORY:
        return MEMORY
    return request.getfixturevalue(f"{request.param}_url")


class Clock:
    """A controllable clock for events: each message a few seconds after the last."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def tick(self, seconds: float = 5) -> datetime:
        """Advance and return the time."""
        self.now += timedelta(seconds=seconds)
        return self.now

    def advance(self, **delta: float) -> None:
        """Jump ahead, e.g. ``advance(days=3)``."""
        self.now += timedelta(**delta)


class Chat:
    """Drive the engine through the service as officers would, and keep what it said.

    ``database_url`` is a database URL, or ``MEMORY`` for a :class:`MemoryDatabase`.
    """

    def __init__(self, database_url: str, clock: Clock | None = None) -> None:
        self.database_url = database_url
        self.memory = MemoryDatabase() if database_url == MEMORY else None
        self.clock = clock or Clock()
        self.service = self._service()
        self.last: list[Reply] = []

    def _service(self):  # type: ignore[no-untyped-def]
        from bot.service import CoachService
        if self.memory is not None:
            return CoachService.in_memory(self.memory)
        return CoachService.create(self.database_url)

    def restart(self) -> None:
        """Start over as a new process would: a new service on the same database."""
        self.close()
        self.service = self._service()

    def close(self) -> None:
        """Let go of the database's connections (nothing to do in memory)."""
        if self.memory is None:
            self.service.database.dispose()

    def say(self, text: str, *, user: str | None = "U1", group: str | None = None,
            event_id: str | None = None, kind: str = "text", message_id: str | None = None,
            at: datetime | None = None, quote_token: str | None = None) -> str:
        """Send one message; return everything the bot answered, as text.

        ``kind`` may also be ``message_edited`` (``text`` is the new text of message
        ``message_id``) or ``unsend`` (``message_id`` taken back); ``at`` sets the event's
        time instead of the clock's next tick (an edit made earlier, delivered late).
        """
        supported = kind in ("text", "postback", "message_edited", "unsend")
        event = Event(user_id=user, chat_id=group or user or "U1",
                      chat_type="group" if group else "user",
                      kind=kind if supported else "unsupported",  # type: ignore[arg-type]
                      timestamp=at or self.clock.tick(),
                      text=text if kind in ("text", "message_edited") else None,
                      postback=text if kind == "postback" else None,
                      event_id=event_id or uuid.uuid4().hex,
                      content_type=None if supported else kind, message_id=message_id,
                      quote_token=quote_token)
        self.last = self.service.process(event).replies
        return "\n".join(reply.as_text() for reply in self.last)

    def choices(self) -> list[str]:
        """Return the quick-reply labels under the last reply."""
        return [c.label for c in getattr(self.last[-1], "choices", ())] if self.last else []

    def export(self, owner: str = "U1") -> dict:
        """Return an owner's applications as ``python -m bot export`` prints them."""
        from bot.store import export_owner
        if self.memory is not None:
            return self.memory.export_owner(owner)
        return export_owner(self.service.database, owner)

    def versions(self, owner: str, question: int) -> list[list[str]]:
        """Return, per application of an owner, every revision of one answer, oldest first."""
        from bot.store import answer_versions
        if self.memory is not None:
            return self.memory.answer_versions(owner, question)
        return answer_versions(self.service.database, owner, question)


@pytest.fixture(autouse=True)
def _driver_listeners(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give each test its own listeners of the statements run on the driver (bot.store.driver)."""
    from bot.store import driver
    monkeypatch.setattr(driver, "LISTENERS", [])


def record_turns(database: Database, seen: list[str]) -> None:
    """Have ``database`` note in ``seen`` when a writer takes SQLite's write turn and gives
    it back (bot.store.write_turn)."""
    turn = database._write_turn
    assert turn is not None

    @contextmanager
    def recorded() -> Iterator[None]:
        with turn():
            seen.append("turn taken")
            yield
            seen.append("turn given back")

    database._write_turn = recorded  # type: ignore[assignment]


@pytest.fixture
def fake_line(httpserver):  # type: ignore[no-untyped-def]
    """Return a fake LINE Messaging API on loopback that accepts every call."""
    from line_support import FakeLine
    line = FakeLine(httpserver)
    line.accept_all()
    return line


@pytest.fixture
def app(database_url, fake_line) -> Iterator:
    """Return the web app on a fresh database, talking to the fake LINE API."""
    from line_support import web_config

    from bot.web import create_app
    built = create_app(web_config(database_url, fake_line.url))
    yield built
    built.extensions["outbox"].stop()
    built.extensions["coaching"].database.dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """Return a test client of the app."""
    return app.test_client()


@pytest.fixture
def clock() -> Clock:
    """Return a fresh clock."""
    return Clock()


@pytest.fixture
def chat(database_url, clock) -> Iterator[Chat]:
    """Return a chat driver on a fresh database (SQLite, then PostgreSQL)."""
    driver = Chat(database_url, clock)
    yield driver
    driver.close()


@pytest.fixture
def memory_chat(clock) -> Chat:
    """Return a chat driver on a fresh memory database: the engine in milliseconds."""
    return Chat(MEMORY, clock)


@pytest.fixture
def any_chat(store_url, clock) -> Iterator[Chat]:
    """Return a chat driver on a fresh store: in memory, on SQLite, then on PostgreSQL."""
    driver = Chat(store_url, clock)
    yield driver
    driver.close()
