"""No Thai in the Python: what an officer reads lives in conversations/, loaded by bot.coach.texts.

Every string constant under bot/ (docstrings and f-string parts included) is checked for a
Thai character. Comments may keep Thai; ast does not see them. bot/analysis/ holds the
analysis's Thai word lists and patterns, and bot/draft/samples.py holds sample answers:
both are data about Thai text rather than wording, so they are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THAI = re.compile("[\u0e00-\u0e7f]")
EXEMPT_DIRS = ("bot/analysis/",)
EXEMPT_FILES = ("bot/draft/samples.py",)


def python_files() -> list[str]:
    """Return the Python files under bot/ that must hold no Thai text, relative to the root."""
    names = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "bot").rglob("*.py"))
    return [name for name in names
            if not name.startswith(EXEMPT_DIRS) and name not in EXEMPT_FILES]


def thai_strings(source: str) -> list[tuple[int, str]]:
    """Return (line, text) of every string constant in ``source`` with a Thai character."""
    return sorted((node.lineno, node.value) for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and THAI.search(node.value))


def test_strings_docstrings_and_f_strings_are_found_and_comments_are_not():
    source = ('"""โมดูล"""\n'
              "# ความเห็นภาษาไทยได้\n"
              "NAME = 'coach'\n"
              "def f(n: int) -> str:\n"
              '    """Say it."""\n'
              '    return f"ข้อ {n}"  # ข้อ\n'
              'ESCAPED = "\\u0e01"\n')

    assert [line for line, _text in thai_strings(source)] == [1, 6, 7]


def test_the_exemptions_exist_and_the_rest_is_checked():
    files = python_files()

    assert [(ROOT / name).exists() for name in (*EXEMPT_DIRS, *EXEMPT_FILES)] == [True, True]
    assert {"bot/coach/texts.py", "bot/draft/labels.py", "bot/cli.py"} <= set(files)
    assert [name for name in files if name.startswith("bot/analysis/")] == []


@pytest.mark.parametrize("name", python_files())
def test_no_thai_text_in_the_python(name):
    found = thai_strings((ROOT / name).read_text(encoding="utf-8"))

    assert [f"{name}:{line}: {text[:60]!r}" for line, text in found] == []
