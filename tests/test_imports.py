"""What importing and building the web app load, seen from a fresh interpreter's ``sys.modules``.

Importing ``bot.web`` loads the factory alone; ``create_app()``, which gunicorn's master runs
before it forks, loads everything a request needs, so that the workers share it. Draft files
are built in build processes, so neither loads the draft writers (python-docx, fpdf2); the
schema is migrated once at start-up, so importing loads no Alembic.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DRAFT_WRITERS = {"docx", "fpdf", "bot.draft.docx", "bot.draft.pdf"}


def modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the modules it has loaded then."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True,
                          text=True, timeout=300, check=True, env=env)
    return set(json.loads(done.stdout.splitlines()[-1]))


def top_level(modules: set[str], names: set[str]) -> list[str]:
    """Return the modules of ``modules`` that are, or are inside, one of ``names``."""
    return sorted(m for m in modules if m in names or m.split(".")[0] in names)


@pytest.fixture(scope="module")
def web_modules() -> set[str]:
    return modules_after("import bot.web")


def test_importing_the_web_app_loads_no_draft_writer(web_modules):
    assert top_level(web_modules, DRAFT_WRITERS) == []


def test_importing_the_web_app_loads_no_migration_tool(web_modules):
    assert top_level(web_modules, {"alembic"}) == []


@pytest.fixture(scope="module")
def app_modules(tmp_path_factory) -> set[str]:
    database = tmp_path_factory.mktemp("imports") / "app.sqlite3"
    env = dict(os.environ, LINE_CHANNEL_SECRET="s", LINE_CHANNEL_ACCESS_TOKEN="t",
               PUBLIC_BASE_URL="https://coach.example.go.th", SECRET_KEY=secrets.token_urlsafe(32),
               DATABASE_URL=f"sqlite:///{database}", LOG_LEVEL="WARNING")
    return modules_after("from bot.web import create_app\ncreate_app()", env)


def test_importing_the_web_app_loads_the_factory_alone(web_modules):
    assert top_level(web_modules, {"linebot", "sqlalchemy", "pythainlp", "aiohttp"}) == []
    assert {"bot.web.webhook", "bot.coach.engine", "bot.store"} & web_modules == set()


def test_building_the_app_loads_what_every_request_needs_before_the_fork(app_modules):
    needed = {"bot.web.webhook", "bot.web.line_messages", "bot.draft", "bot.coach.engine",
              "bot.outbox.sender", "linebot.v3.webhooks", "linebot.v3.messaging", "flask",
              "sqlalchemy", "nlpo3"}
    assert needed - app_modules == set()


def test_building_the_app_loads_no_draft_writer(app_modules):
    assert top_level(app_modules, DRAFT_WRITERS) == []


def test_a_draft_writer_loads_when_first_asked_for():
    loaded = modules_after("import bot.draft\nassert 'fpdf' not in __import__('sys').modules\n"
                           "bot.draft.build_pdf")
    assert ("fpdf" in loaded, "bot.draft.pdf" in loaded, "docx" in loaded) == (True, True, False)
