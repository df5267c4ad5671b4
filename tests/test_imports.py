"""What importing the web app loads, seen from a fresh interpreter's ``sys.modules``.

Draft files are built in build processes, and the schema is migrated once at start-up, so
importing ``bot.web`` must load neither the draft writers (python-docx, fpdf2) nor Alembic:
they are imported where they are used (``bot.draft.build``, ``Database.upgrade``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DRAFT_WRITERS = {"docx", "fpdf", "bot.draft.docx", "bot.draft.pdf"}


def modules_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the modules it has loaded then."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True,
                          text=True, timeout=300, check=True)
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


def test_the_web_app_still_imports_what_every_request_needs(web_modules):
    assert {"bot.web.webhook", "bot.draft", "flask", "sqlalchemy"} <= web_modules


def test_a_draft_writer_loads_when_first_asked_for():
    loaded = modules_after("import bot.draft\nassert 'fpdf' not in __import__('sys').modules\n"
                           "bot.draft.build_pdf")
    assert ("fpdf" in loaded, "bot.draft.pdf" in loaded, "docx" in loaded) == (True, True, False)
