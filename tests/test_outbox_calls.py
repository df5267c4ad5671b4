"""A sender's round calls LINE for several chats at once, and for one chat in order."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox import rows
from bot.outbox.policy import Settings, settings_from
from bot.outbox.sender import Outbox
from bot.store import Database, StoreError
from bot.web.sender import Attempt


class SlowLine:
    """A LINE sender whose calls take a while; it notes how many run at once and their order."""

    longest_call = 1.0

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.lock = threading.Lock()
        self.running = 0
        self.most_at_once = 0
        self.order: list[str] = []

    def reply_once(self, messages, *, reply_token: str) -> Attempt:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.order.append(reply_token)
        time.sleep(self.seconds)
        with self.lock:
            self.running -= 1
        return Attempt("sent", status=200)


def claimed(chat: str, number: int) -> rows.Claimed:
    """A row leased to this sender, replying with token ``<chat>-<number>``."""
    now = datetime.now(UTC)
    return rows.Claimed(event_id=f"{chat}-{number}", chat_id=chat, reply_token=f"{chat}-{number}",
                        messages=[{"type": "text", "text": "x"}], retry_key=f"k-{chat}-{number}",
                        attempts=1, received_at=now, in_doubt=False,
                        claimed_until=now + timedelta(seconds=60))


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'outbox.sqlite3'}")
    database.upgrade()
    yield database
    database.dispose()


def outbox_with(database, line: SlowLine, calls: int) -> Outbox:
    return Outbox(database, line, Settings(thread=False, calls=calls))  # type: ignore[arg-type]


@pytest.mark.parametrize("chats, calls, at_once", [("ABCD", 4, 4), ("ABCDEFGH", 2, 2),
                                                   ("ABC", 1, 1)])
def test_calls_to_different_chats_are_made_at_once_up_to_the_setting(database, chats, calls,
                                                                     at_once):
    line = SlowLine(seconds=0.02)
    outbox = outbox_with(database, line, calls=calls)
    for chat in chats:
        outbox.submit(claimed(chat, 1))
    assert (outbox.deliver_due(), line.most_at_once) == (len(chats), at_once)
    assert sorted(line.order) == [f"{chat}-1" for chat in chats]


def test_one_chats_replies_go_one_after_another_in_order(database):
    line = SlowLine(seconds=0.01)
    outbox = outbox_with(database, line, calls=4)
    for number in range(1, 6):
        outbox.submit(claimed("A", number))
        outbox.submit(claimed("B", number))
    outbox.deliver_due()
    assert [t for t in line.order if t.startswith("A")] == [f"A-{n}" for n in range(1, 6)]
    assert [t for t in line.order if t.startswith("B")] == [f"B-{n}" for n in range(1, 6)]
    assert line.most_at_once == 2


@pytest.mark.parametrize("value", ["0", "33", "many", "2.5"])
def test_a_bad_number_of_calls_is_refused_with_its_name(value):
    with pytest.raises(ValueError, match="OUTBOX_CALLS"):
        settings_from({"OUTBOX_CALLS": value})


def test_the_number_of_calls_is_a_setting_of_four_by_default():
    assert (settings_from({}).calls, settings_from({"OUTBOX_CALLS": "8"}).calls) == (4, 8)


def test_a_stopped_sender_still_delivers_when_drained(database):
    line = SlowLine(seconds=0.01)
    outbox = outbox_with(database, line, calls=4)
    outbox.submit(claimed("A", 1))
    outbox.submit(claimed("B", 1))
    outbox.deliver_due()
    outbox.stop()
    outbox.submit(claimed("A", 2))
    outbox.submit(claimed("B", 2))
    assert outbox.deliver_due() == 2
    assert sorted(line.order) == ["A-1", "A-2", "B-1", "B-2"]


# When a round asks the database --------------------------------------------------------------

class Claims:
    """Stands in for rows.claim: counts the looks and gives ``rows`` rows a look."""

    def __init__(self, rows_per_look: int = 0) -> None:
        self.looks = 0
        self.rows_per_look = rows_per_look

    def __call__(self, *_: object, limit: int, **__: object) -> list[rows.Claimed]:
        self.looks += 1
        return [claimed(f"C{self.looks}", n) for n in range(min(self.rows_per_look, limit))]


def test_the_thread_s_round_does_not_ask_the_database_for_rows_it_was_not_told_of(
        database, monkeypatch):
    claims = Claims()
    monkeypatch.setattr(rows, "claim", claims)
    outbox = Outbox(database, SlowLine(0), Settings(thread=False, poll_seconds=60))  # type: ignore[arg-type]
    outbox.deliver_due(look=False)  # the first round polls: rows a dead sender left
    outbox.submit(claimed("A", 1))
    assert outbox.deliver_due(look=False) == 1  # the leased row goes, no look
    assert outbox.deliver_due(look=False) == 0  # woken again: its row went already
    assert claims.looks == 1
    outbox.note_unleased()  # a row committed without a lease
    outbox.deliver_due(look=False)
    assert claims.looks == 2
    outbox.deliver_due()  # tools and tests (drain) look whenever nothing is leased here
    assert claims.looks == 3


def test_a_look_that_finds_a_full_batch_looks_again_at_once(database, monkeypatch):
    claims = Claims(rows_per_look=2)
    monkeypatch.setattr(rows, "claim", claims)
    outbox = Outbox(database, SlowLine(0), Settings(thread=False, poll_seconds=60, batch=2))  # type: ignore[arg-type]
    assert outbox.deliver_due(look=False) == 2  # the first poll: a full batch, a backlog
    assert outbox.deliver_due(look=False) == 2
    claims.rows_per_look = 1
    assert outbox.deliver_due(look=False) == 1  # the backlog ends here
    assert outbox.deliver_due(look=False) == 0
    assert claims.looks == 3


def test_a_failed_look_for_rows_it_was_told_of_is_made_again(database, monkeypatch):
    outbox = Outbox(database, SlowLine(0), Settings(thread=False, poll_seconds=60))  # type: ignore[arg-type]
    outbox._polled = time.monotonic()
    outbox.note_unleased()

    def failing(*_: object, **__: object) -> list[rows.Claimed]:
        raise StoreError("database error: OperationalError")

    monkeypatch.setattr(rows, "claim", failing)
    with pytest.raises(StoreError):
        outbox.deliver_due(look=False)
    claims = Claims()
    monkeypatch.setattr(rows, "claim", claims)
    outbox.deliver_due(look=False)
    assert claims.looks == 1
