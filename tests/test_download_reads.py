"""Opening a draft reads outside every lock, in a few statements however long the application.

A download, the preview and the editor only read. They used to read in a writer's transaction:
on SQLite that is the database's one write lock (``BEGIN IMMEDIATE``), held while the whole
application was loaded and the built file read, so two officers downloading held up every
webhook; and the application was loaded answer by answer (1 + 1 + one statement an answer).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event, text
from test_draft_cache import Runner, chat, link, make_app  # noqa: F401 - chat is a fixture

from bot.store import load_application

OTHER_ANSWERS = ["ก่อนปรับปรุงใช้เวลา 45 วัน หลังปรับปรุงเหลือ 7 วัน",
                 "ผู้รับบริการ 1,250 ราย พึงพอใจร้อยละ 92"]


def test_a_download_is_served_while_another_event_s_transaction_holds_the_write_lock(
        chat):  # noqa: F811
    app = make_app(chat.database_url, Runner())
    client = app.test_client()
    token = link(app)
    assert client.get(f"/d/{token}/clean/pdf").status_code == 200  # built and kept
    database = app.extensions["coaching"].database
    holding, done = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def writer() -> None:  # another event's transaction: the turn and BEGIN IMMEDIATE
        with database.session() as session:
            session.execute(text("UPDATE owners SET state = state"))
            holding.set()
            outcome["released_by_download"] = done.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(10)
    try:
        preview = client.get(f"/d/{token}")
        pdf = client.get(f"/d/{token}/clean/pdf")
    finally:
        done.set()
        thread.join()
    assert (preview.status_code, pdf.status_code) == (200, 200)
    assert pdf.data.startswith(b"%PDF")
    assert outcome["released_by_download"] is True


def test_an_application_is_loaded_in_two_statements_however_many_answers(chat):  # noqa: F811
    database = chat.service.database
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(statement)

    def loaded() -> tuple[int, int]:
        statements.clear()
        event.listen(database.engine, "before_cursor_execute", note)
        try:
            found = load_application(database, application_id)
        finally:
            event.remove(database.engine, "before_cursor_execute", note)
        assert found is not None
        return len(statements), sum(1 for record in found[1].values() if record.parts)

    with database.reading() as session:
        application_id = int(session.scalar(text("SELECT max(id) FROM applications")))
    one = loaded()
    for answer in OTHER_ANSWERS:
        chat.say("ถัดไป")
        chat.say(answer)
    three = loaded()
    assert one == (2, 1)
    assert three == (2, 3)
