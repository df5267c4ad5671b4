"""Settings that refuse to be weak: SECRET_KEY's strength, and a simulator that never reads
the real bot's key or database from the environment."""

from __future__ import annotations

import base64
import random
import re
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer

from bot.simulator import create_simulator_app, main
from bot.simulator.app import SECRET_FILE
from bot.web import create_app
from bot.web.config import ConfigError, check_secret_key, load_settings

#: A key as ``secrets.token_urlsafe(32)`` makes one.
STRONG_KEY = "p7Hc2QeV0yKx9LmB4sTnW6gZ1rJd8uFa3oYiE5kXqNw"
HOW_TO = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
REQUIRED = {"LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
            "LINE_CHANNEL_ACCESS_TOKEN": "token", "PUBLIC_BASE_URL": "https://coach.example.go.th"}


# SECRET_KEY


@pytest.mark.parametrize("key", [
    "changeme",
    "test-secret-key",
    "a" * 64,
    "ab12" * 16,
    "changeme" * 8,
    "0123456789" * 7,
    "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
    "the-quick-brown-fox-jumps-over-the-lazy-dog-again-and-again",
    "Correct Horse Battery Staple Is Famous Now And Long Enough",
    "thisismyverylongkeyforproductionthatnobodyknows",
    "0123456789abcdef" * 2,
    "my-production-" + "Xy7" * 12,
    "xK9#mP2$vL5@nQ8&wR3!tY6^zB1*cF4(hJ7)",
], ids=["changeme", "short", "one-character", "repeated", "repeated-word", "digits-in-a-row",
        "alphabet", "words", "capitalised-words", "lowercase-only", "16-bytes-of-hex",
        "dictionary-word", "36-characters"])
def test_weak_keys_are_refused_with_how_to_make_one(key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        check_secret_key(key)

    assert "SECRET_KEY is too weak" in str(refused.value)
    assert HOW_TO in str(refused.value)


@pytest.mark.parametrize("encode", [
    lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("="),
    lambda raw: raw.hex(),
    lambda raw: base64.b64encode(raw).decode(),
], ids=["token_urlsafe", "token_hex", "base64"])
def test_every_random_32_byte_key_is_accepted(encode) -> None:
    draw = random.Random(14)  # the same thousands of keys every run

    refused = [key for key in (encode(draw.randbytes(32)) for _ in range(3000))
               if _refusal(key)]

    assert refused == []


def _refusal(key: str) -> str | None:
    """Return why ``key`` is refused, or None."""
    try:
        check_secret_key(key)
    except ConfigError as error:
        return str(error)
    return None


def test_load_settings_refuses_changeme_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"SECRET_KEY is too weak.*secrets\.token_urlsafe"):
        load_settings(environ={**REQUIRED, "SECRET_KEY": "changeme"})


def test_create_app_refuses_a_weak_key_before_touching_the_database(tmp_path: Path) -> None:
    database = tmp_path / "never.sqlite3"

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**REQUIRED, "SECRET_KEY": "changeme",
                    "DATABASE_URL": f"sqlite:///{database}"}, environ={})

    assert not database.exists()


def test_a_strong_key_is_kept_as_given() -> None:
    settings = load_settings(environ={**REQUIRED, "SECRET_KEY": STRONG_KEY,
                                      "DATABASE_URL": "sqlite://"})

    assert settings["SECRET_KEY"] == STRONG_KEY


# The simulator


@pytest.fixture
def real_bot_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Set DATABASE_URL and SECRET_KEY as a shell set up for the real bot would."""
    production = tmp_path / "production.sqlite3"
    monkeypatch.delenv("LINE_CHANNEL_SECRET", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{production}")
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    return production


def test_simulator_never_reads_the_key_or_database_from_the_environment(
        real_bot_environment: Path, tmp_path: Path) -> None:
    instance = tmp_path / "instance"

    app = create_simulator_app(0, instance_dir=instance)

    assert app.config["SECRET_KEY"] != STRONG_KEY
    assert app.config["SECRET_KEY"] == (instance / SECRET_FILE).read_text().strip()
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'lertrat.sqlite3'}"
    assert not real_bot_environment.exists()
    app.extensions["coaching"].database.dispose()


def test_simulator_takes_key_and_database_given_on_its_command_line(
        real_bot_environment: Path, tmp_path: Path) -> None:
    given_key = base64.urlsafe_b64encode(random.Random(7).randbytes(32)).decode().rstrip("=")
    database = f"sqlite:///{tmp_path / 'given.sqlite3'}"

    app = create_simulator_app(0, database_url=database, secret_key=given_key,
                               instance_dir=tmp_path / "instance")

    assert (app.config["SECRET_KEY"], app.config["DATABASE_URL"]) == (given_key, database)
    assert not (tmp_path / "instance" / SECRET_FILE).exists()
    app.extensions["coaching"].database.dispose()


def test_serve_refuses_a_weak_secret_key_on_its_command_line(
        real_bot_environment: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Were the key accepted, the server would return at once instead of serving forever.
    monkeypatch.setattr(BaseWSGIServer, "serve_forever", lambda self, *args, **kwargs: None)

    status = main(["--port", "0", "--secret-key", "changeme",
                   "--database", f"sqlite:///{tmp_path / 'sim.sqlite3'}"])

    error = capsys.readouterr().err
    assert status == 1
    assert re.search(r"error: SECRET_KEY is too weak.*secrets\.token_urlsafe\(32\)", error)


def test_serve_help_says_the_environment_is_not_read(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])

    help_text = " ".join(capsys.readouterr().out.split())
    assert "DATABASE_URL is not read" in help_text
    assert "SECRET_KEY is not read" in help_text
