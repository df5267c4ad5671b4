"""No log line, on any path, carries a link token, what an officer wrote, or a LINE id.

A draft link is a bearer token, so the logs that name request paths (Flask's "Exception on
…", werkzeug's access log in the simulator, gunicorn's error and access logs) must show
``/d/…`` instead; a traceback keeps its frames but not the exception's message, which may
quote an answer. Each error path is driven for real and every line captured is read.
"""

from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from simulator_support import ANSWER, PROJECT_NAME, draft_paths, new_user, served_simulator

import bot.delivery.routes
from bot.web.logfilter import (
    RedactLinks,
    install,
    loggers_under,
    redact,
    traceback_without_messages,
)

PROJECT = Path(__file__).resolve().parent.parent
LINE_ID = "U" + "4f" * 16
LINE_ID_PATTERN = re.compile(r"[UCR][0-9a-f]{32}")
#: The simulator reaches its own server directly, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def assert_clean(text: str, *secrets: str) -> None:
    """Fail when ``text`` holds any of ``secrets`` or a LINE id."""
    leaked = [secret for secret in secrets if secret and secret in text]
    assert leaked == [], f"leaked {leaked} in:\n{text}"
    assert LINE_ID_PATTERN.findall(text) == []


def get(url: str) -> int:
    """GET ``url``; return the status."""
    try:
        with _opener.open(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# The filter itself


def filtered(record: logging.LogRecord) -> str:
    """Return ``record`` as a handler would write it, after the filter."""
    RedactLinks().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_tokens_and_line_ids_are_redacted_in_message_and_arguments() -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '"GET /d/%s/clean/pdf HTTP/1.1" %s for %s',
                               ("eyJhIjoxfQ.Zx9.sig-_", 200, LINE_ID), None)

    assert filtered(record) == '"GET /d/…/clean/pdf HTTP/1.1" 200 for U…'


def test_gunicorns_dictionary_arguments_are_redacted() -> None:
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s',
                               ({"r": "GET /e/abc.def?x=1 HTTP/1.1", "s": "200"},), None)

    assert filtered(record) == '"GET /e/…?x=1 HTTP/1.1" 200'


def test_a_traceback_keeps_its_frames_but_not_the_messages() -> None:
    try:
        try:
            raise KeyError(ANSWER)
        except KeyError as error:
            raise RuntimeError(f"/d/secret-token for {LINE_ID}") from error
    except RuntimeError:
        record = logging.LogRecord("bot.web", logging.ERROR, __file__, 1, "Exception on %s",
                                   ("/d/secret-token/docx",), sys.exc_info())

    text = filtered(record)

    assert_clean(text, ANSWER, "secret-token")
    assert "Exception on /d/…/docx" in text
    assert "builtins.KeyError (message not logged)" in text
    assert "builtins.RuntimeError (message not logged)" in text
    assert "test_a_traceback_keeps_its_frames_but_not_the_messages" in text


def test_a_traceback_written_into_the_message_loses_the_messages_too() -> None:
    message = ("Error on request:\nTraceback (most recent call last):\n"
               '  File "/srv/bot/web/app.py", line 3, in app\n    raise KeyError(text)\n'
               f"KeyError: '{ANSWER}'\n")
    record = logging.LogRecord("werkzeug", logging.ERROR, __file__, 1, message, None, None)

    text = filtered(record)

    assert_clean(text, ANSWER)
    assert "KeyError (message not logged)" in text
    assert text.startswith("Error on request:\nTraceback (most recent call last):\n  File")


def test_the_rest_of_a_line_is_left_as_it_was() -> None:
    line = "event 01HZX type=message redelivery=False: replied /healthz /docs/d/x"

    assert redact(line) == "event 01HZX type=message redelivery=False: replied /healthz /docs/d/…"
    assert redact("/dd/token /d/") == "/dd/token /d/"


def test_install_adds_the_filter_once() -> None:
    logger = logging.getLogger("tests.log_hygiene.once")

    install([logger])
    install([logger, "tests.log_hygiene.once"])

    assert len(logger.filters) == 1
    assert len(logging.getLogger("werkzeug").filters) == 1


def test_a_chained_cycle_ends() -> None:
    first, second = ValueError("a"), ValueError("b")
    first.__context__, second.__context__ = second, first

    assert traceback_without_messages(first).count("builtins.ValueError") == 2


# The app's error paths, served for real


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with served_simulator(tmp_path_factory.mktemp("hygiene")) as app:
        yield app


def test_no_error_path_logs_a_token_an_answer_or_an_id(
        app: Flask, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    user = new_user()
    base = app.config["PUBLIC_BASE_URL"]
    preview, *downloads = draft_paths(app.test_client(), user)
    token = preview.split("/")[2]

    def broken_build(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError(f"{ANSWER} {token} {LINE_ID}")

    statuses = {"preview": get(base + preview)}
    monkeypatch.setattr(bot.delivery.routes, "build", broken_build)
    statuses["exception"] = get(base + downloads[0])
    statuses["unknown format"] = get(f"{base}/d/{token}/clean/xls")
    statuses["tampered"] = get(f"{base}/d/{token[:-6]}AAAAAA")
    statuses["garbage"] = get(f"{base}/d/{LINE_ID}")
    statuses["editor"] = get(f"{base}/e/{token}")

    assert statuses["preview"] == 200
    assert statuses["exception"] == 500
    assert all(status >= 400 for status in list(statuses.values())[1:]), statuses
    logged = caplog.text + "".join(capfd.readouterr())
    assert "Exception on /d/…/" in logged
    assert "GET /d/… HTTP/1.1" in logged
    assert "(message not logged)" in logged
    assert_clean(logged, token, ANSWER, PROJECT_NAME, user)


def test_the_bots_own_loggers_are_filtered_whoever_set_up_the_handlers(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    logging.getLogger("bot.delivery").info("opened /d/%s for %s", "tok.en", LINE_ID)

    assert "opened /d/… for U…" in caplog.text


# Processes as deployed


def free_port() -> int:
    """Return a port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    """Wait until ``url`` answers, or fail with what the process printed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("gunicorn did not start:\n" + (process.communicate()[0] or ""))


@pytest.mark.slow
def test_gunicorn_with_the_procfiles_config_logs_no_token(tmp_path: Path) -> None:
    (tmp_path / "hygiene_app.py").write_text(textwrap.dedent(f"""
        WRITTEN = {ANSWER!r} + " " + {LINE_ID!r}

        def app(environ, start_response):
            if environ["PATH_INFO"].endswith("/pdf"):
                raise RuntimeError(WRITTEN)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
    """), encoding="utf-8")
    port = free_port()
    token = "eyJ2IjoxLCJhIjoxfQ.aB3dE5.Zx9_-sig"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(PROJECT / "gunicorn.conf.py"),
         "-b", f"127.0.0.1:{port}", "-w", "1", "--chdir", str(tmp_path), "hygiene_app:app"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/", process)

    statuses = [get(f"{base}/d/{token}/pdf"), get(f"{base}/d/{token}"),
                get(f"{base}/e/{token}/clean/pdf")]
    process.terminate()
    logged = process.communicate(timeout=30)[0]

    assert statuses == [500, 200, 500]
    assert "Error handling request /d/…/pdf" in logged
    assert '"GET /d/… HTTP/1.1" 200' in logged
    assert '"GET /d/…/pdf HTTP/1.1" 500' in logged
    assert "(message not logged)" in logged
    assert_clean(logged, token, ANSWER)


@pytest.mark.slow
def test_the_apps_own_log_handler_filters_every_logger(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import logging
        from bot.web import create_app
        app = create_app({{
            "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
            "LINE_CHANNEL_ACCESS_TOKEN": "token", "PUBLIC_BASE_URL": "https://coach.example",
            "SECRET_KEY": "p7Hc2QeV0yKx9LmB4sTnW6gZ1rJd8uFa3oYiE5kXqNw",
            "DATABASE_URL": "sqlite:///{tmp_path / 'app.sqlite3'}"}}, environ={{}})
        logger = logging.getLogger("bot.delivery.anything")
        logger.warning("opened /d/%s for %s", "tok.en", {LINE_ID!r})
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True,
                          text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert "opened /d/… for U…" in done.stderr
    assert_clean(done.stderr, "tok.en")


def test_every_logger_of_the_bot_filters_links_once_the_app_is_built(app):
    unfiltered = [logger.name for logger in loggers_under("bot")
                  if not any(getattr(f, "redacts_links", False) for f in logger.filters)]
    names = {logger.name for logger in loggers_under("bot")}
    assert ({"bot.purge", "bot.outbox", "bot.web"} <= names, unfiltered) == (True, [])
