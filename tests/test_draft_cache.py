"""Draft files built once per revision, off the web worker, and never served once data is deleted.

The app is real (SQLite and PostgreSQL); the build runner is swapped for one that counts
its builds and can be held back, so that "being prepared" and shared builds are seen
without timing. One test runs the real build process and kills one past its bound.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import Chat
from line_support import web_config
from sqlalchemy import select

from bot.coach.link_ports import new_link_id
from bot.delivery.builds import BuildTimeout, ProcessRunner
from bot.delivery.cache import BuildLimits, DraftFiles, Preparing
from bot.delivery.job import DraftJob, run
from bot.store import load_application
from bot.store.draft_files import (
    StoredFile,
    claim_build,
    find_file,
    store_built,
    store_failure,
)
from bot.store.models import Application, DraftFile, DraftLink
from bot.store.retention import RetentionPolicy, purge
from bot.web import create_app

ANSWER = "ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที ผู้รับบริการพึงพอใจร้อยละ 92"
SECOND = "ประชาชน 1,250 รายใช้บริการออนไลน์ในปี 2564"
GROUP = "C" + "ab" * 16
NO_LINE = "http://127.0.0.1:9"  # never called: only draft pages are opened here


class Runner:
    """Build in this thread (the real compile and build), count builds, optionally held back."""

    def __init__(self, *, held: bool = False, fails: Exception | None = None) -> None:
        self.builds = 0
        self.release = threading.Event()
        self.started = threading.Event()
        self.fails = fails
        if not held:
            self.release.set()

    def __call__(self, job: DraftJob) -> bytes:
        self.builds += 1
        self.started.set()
        assert self.release.wait(30)
        if self.fails is not None:
            raise self.fails
        return run(job)


@pytest.fixture
def chat(database_url: str) -> Iterator[Chat]:
    """An officer with an application (category 1.1) whose first question is answered."""
    officer = Chat(database_url)
    for text in ("เริ่ม", "1.1", "ระบบคิวออนไลน์", ANSWER):
        officer.say(text)
    yield officer
    officer.close()


def make_app(database_url: str, runner: Runner, **settings: Any) -> Any:
    """Build the web app on the database, its draft files built by ``runner``."""
    app = create_app(web_config(database_url, NO_LINE, **settings))
    app.extensions["drafts"].files.runner = runner
    return app


def link(app: Any, owner: str = "U1", member: str | None = "U1") -> str:
    """Give out a draft link to the owner's first application; return its token."""
    database = app.extensions["coaching"].database
    now = datetime.now(UTC)
    link_id = new_link_id()
    with database.session() as session:
        application_id = session.scalar(select(Application.id)
                                        .where(Application.owner_id == owner))
        session.add(DraftLink(id=link_id, application_id=application_id, owner_id=owner,
                              member_id=member, created_at=now,
                              expires_at=now + timedelta(days=7)))
    return str(app.extensions["drafts"].links.token(link_id))


def stored_files(app: Any) -> list[tuple[str, bool]]:
    """Return the kinds of the files kept, and whether each holds a file."""
    with app.extensions["coaching"].database.session() as session:
        return [(row.kind, row.content is not None)
                for row in session.scalars(select(DraftFile).order_by(DraftFile.kind))]


def test_a_file_is_built_once_per_revision_and_served_from_the_table(chat, database_url):
    runner = Runner()
    app = make_app(database_url, runner)
    client = app.test_client()
    token = link(app)

    first = client.get(f"/d/{token}/clean/pdf")
    second = client.get(f"/d/{token}/clean/pdf")
    other_worker = make_app(database_url, Runner()).test_client().get(f"/d/{token}/clean/pdf")

    assert [first.status_code, second.status_code, other_worker.status_code] == [200, 200, 200]
    assert first.data == second.data == other_worker.data
    assert first.data.startswith(b"%PDF")
    assert runner.builds == 1
    assert stored_files(app) == [("clean/pdf", True)]


def test_a_kept_file_is_read_back_byte_for_byte_with_its_row(chat, database_url):
    # On PostgreSQL the file is read in the driver's binary format, not as hex text.
    database = make_app(database_url, Runner()).extensions["coaching"].database
    with database.reading() as session:
        application_id = session.scalar(select(Application.id))
    started = datetime(2026, 12, 3, 9, 30, 15, 250000, tzinfo=UTC)
    content = bytes(range(256)) * 1500 + b"\x00%PDF\xff"
    assert find_file(database, application_id, "clean/pdf") is None
    assert claim_build(database, application_id, "clean/pdf", "d1", now=started,
                       stale_before=started - timedelta(minutes=5))
    building = find_file(database, application_id, "clean/pdf")
    assert building == StoredFile(digest="d1", status="building", reason=None, content=None,
                                  started_at=started)
    assert store_built(database, application_id, "clean/pdf", "d1", content,
                       now=started + timedelta(seconds=4))
    ready = find_file(database, application_id, "clean/pdf")
    assert ready is not None and type(ready.content) is bytes
    assert ready == StoredFile(digest="d1", status="ready", reason=None, content=content,
                               started_at=started)
    assert claim_build(database, application_id, "clean/pdf", "d2", now=started,
                       stale_before=started)
    assert store_failure(database, application_id, "clean/pdf", "d2", "timeout", now=started)
    failed = find_file(database, application_id, "clean/pdf")
    assert (failed.status, failed.reason, failed.content) == ("failed", "timeout", None)


def test_a_new_revision_is_built_again_and_replaces_the_old_file(chat, database_url):
    runner = Runner()
    app = make_app(database_url, runner)
    client = app.test_client()
    token = link(app)
    before = client.get(f"/d/{token}/clean/txt").get_data(as_text=True)

    chat.say(SECOND)  # the answer to question 2 changes the application
    after = client.get(f"/d/{token}/clean/txt").get_data(as_text=True)

    assert SECOND not in before
    assert SECOND in after
    assert runner.builds == 2
    assert stored_files(app) == [("clean/txt", True)]


def test_each_edition_and_format_is_its_own_file(chat, database_url):
    runner = Runner()
    app = make_app(database_url, runner)
    client = app.test_client()
    token = link(app)

    statuses = [client.get(f"/d/{token}/{kind}").status_code
                for kind in ("clean/docx", "working/docx", "clean/docx", "working/txt")]

    assert statuses == [200, 200, 200, 200]
    assert runner.builds == 3
    assert [kind for kind, _ in stored_files(app)] == ["clean/docx", "working/docx",
                                                       "working/txt"]


def test_deleting_my_data_deletes_the_built_files_that_hold_it(database_url):
    alice, bob = "U" + "a1" * 16, "U" + "b2" * 16
    group = Chat(database_url)
    for text, user in (("เริ่ม", alice), ("1.1", alice), ("ศูนย์บริการร่วม", alice),
                       (ANSWER, alice), (SECOND, bob)):
        group.say(text, user=user, group=GROUP)
    runner = Runner()
    app = make_app(database_url, runner)
    client = app.test_client()
    token = link(app, owner=GROUP, member=bob)
    assert ANSWER in client.get(f"/d/{token}/clean/txt").get_data(as_text=True)

    group.say("ลบข้อมูลของฉัน", user=alice, group=GROUP)
    group.say("ยืนยัน", user=alice, group=GROUP)
    assert stored_files(app) == []
    text = client.get(f"/d/{token}/clean/txt").get_data(as_text=True)

    assert ANSWER not in text
    assert SECOND in text
    assert runner.builds == 2
    group.close()


def test_a_deleted_application_takes_its_files(chat, database_url):
    app = make_app(database_url, Runner())
    token = link(app)
    assert app.test_client().get(f"/d/{token}/clean/txt").status_code == 200

    chat.say("ลบข้อมูลของฉัน")
    chat.say("ยืนยัน")

    assert stored_files(app) == []
    assert app.test_client().get(f"/d/{token}/clean/txt").status_code == 410


def test_the_purge_deletes_files_a_day_old_or_that_no_link_opens(chat, database_url):
    app = make_app(database_url, Runner())
    database = app.extensions["coaching"].database
    token = link(app)
    assert app.test_client().get(f"/d/{token}/clean/txt").status_code == 200

    assert purge(database, RetentionPolicy()).draft_files == 0
    report = purge(database, RetentionPolicy(), now=datetime.now(UTC) + timedelta(days=2))

    assert report.draft_files == 1
    assert stored_files(app) == []


def test_a_build_that_outlasts_the_wait_shows_the_preparing_page_and_lands(chat, database_url):
    runner = Runner(held=True)
    app = make_app(database_url, runner, DRAFT_WAIT_SECONDS=0.2)
    client = app.test_client()
    token = link(app)

    waiting = client.get(f"/d/{token}/clean/pdf")
    page = waiting.get_data(as_text=True)
    runner.release.set()  # the build went on after the page: it lands in the table
    for _ in range(100):
        if stored_files(app) == [("clean/pdf", True)]:
            break
        threading.Event().wait(0.05)
    ready = client.get(f"/d/{token}/clean/pdf")

    assert waiting.status_code == 503
    assert waiting.headers["Retry-After"] == "3"
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "กำลังจัดทำไฟล์" in page
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")
    assert runner.builds == 1


def test_concurrent_downloads_of_one_revision_share_one_build(chat, database_url):
    runner = Runner(held=True)
    app = make_app(database_url, runner)
    token = link(app)
    statuses: list[int] = []

    def download() -> None:
        statuses.append(app.test_client().get(f"/d/{token}/clean/docx").status_code)

    downloads = [threading.Thread(target=download) for _ in range(3)]
    for thread in downloads:
        thread.start()
    assert runner.started.wait(10)
    threading.Event().wait(0.3)  # let the others reach the build under way
    runner.release.set()
    for thread in downloads:
        thread.join(30)

    assert statuses == [200, 200, 200]
    assert runner.builds == 1


def test_another_worker_waits_for_the_build_in_the_table(chat, database_url):
    runner = Runner(held=True)
    app = make_app(database_url, runner, DRAFT_WAIT_SECONDS=0.2)
    token = link(app)
    assert app.test_client().get(f"/d/{token}/clean/txt").status_code == 503
    other = make_app(database_url, Runner(), DRAFT_WAIT_SECONDS=20)
    results: list[int] = []
    waiting = threading.Thread(
        target=lambda: results.append(other.test_client().get(f"/d/{token}/clean/txt")
                                      .status_code))
    waiting.start()
    threading.Event().wait(0.5)
    runner.release.set()
    waiting.join(30)

    assert results == [200]
    assert runner.builds == 1
    assert other.extensions["drafts"].files.runner.builds == 0


def test_an_application_over_the_size_bound_gets_the_too_large_page(chat, database_url):
    runner = Runner()
    app = make_app(database_url, runner, DRAFT_MAX_CHARS=20)
    token = link(app)

    response = app.test_client().get(f"/d/{token}/clean/pdf")
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "ยาวเกินกว่าจะจัดทำไฟล์ได้" in page
    assert "ข้อ 1:" in page and "แก้ข้อ 1" in page
    assert runner.builds == 0


def test_a_build_past_its_bound_is_remembered_as_too_large(chat, database_url):
    runner = Runner(fails=BuildTimeout("no file"))
    app = make_app(database_url, runner)
    token = link(app)
    client = app.test_client()

    first = client.get(f"/d/{token}/clean/pdf")
    second = client.get(f"/d/{token}/clean/pdf")

    assert [first.status_code, second.status_code] == [422, 422]
    assert "ไม่เสร็จในเวลาที่กำหนด" in second.get_data(as_text=True)
    assert runner.builds == 1
    assert stored_files(app) == [("clean/pdf", False)]


def test_a_build_that_fails_by_accident_is_tried_again(chat, database_url):
    runner = Runner(fails=RuntimeError("broken"))
    app = make_app(database_url, runner)
    token = link(app)
    client = app.test_client()

    with pytest.raises(RuntimeError):  # TESTING: Flask lets it through (a 500 when served)
        client.get(f"/d/{token}/clean/pdf")
    runner.fails = None

    assert client.get(f"/d/{token}/clean/pdf").status_code == 200
    assert runner.builds == 2


def test_a_preparing_download_raises_for_the_caller(chat, database_url):
    app = make_app(database_url, Runner())
    database = app.extensions["coaching"].database
    application, answers = load_application(database, 1) or (None, {})
    assert application is not None
    held = Runner(held=True)
    files = DraftFiles(database, BuildLimits(wait_seconds=0.05), runner=held)
    rubric = app.extensions["drafts"].rubrics.get(application.track, application.year)
    job = DraftJob(application=application, answers=answers, rubric=rubric, analyzer=None,
                   edition="clean", fmt="txt")

    with pytest.raises(Preparing):
        files.get(job)
    held.release.set()


@pytest.mark.slow
def test_the_build_process_builds_and_is_killed_past_its_bound(chat, database_url):
    database = Chat(database_url).service.database
    application, answers = load_application(database, 1) or (None, {})
    assert application is not None
    app = make_app(database_url, Runner())
    rubric = app.extensions["drafts"].rubrics.get(application.track, application.year)
    job = DraftJob(application=application, answers=answers, rubric=rubric, analyzer=None,
                   edition="clean", fmt="pdf")

    assert ProcessRunner(timeout=120)(job).startswith(b"%PDF")
    with pytest.raises(BuildTimeout):
        ProcessRunner(timeout=0.01)(job)
