"""The lock file deployment installs holds what requirements.txt asks for, every pin hashed.

``requirements.lock`` is made from ``requirements.txt`` by pip-compile (see the README's
Deployment); these checks catch a floor raised in one file but not the other, and a pin
without a hash, which ``pip install --require-hashes`` would refuse.
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = Path(__file__).resolve().parent.parent


def requirements(name: str) -> list[Requirement]:
    """Return the requirements a pip requirements file lists (no options, no comments)."""
    lines = (PROJECT / name).read_text(encoding="utf-8").splitlines()
    found = []
    for line in lines:
        text = re.split(r"\s#|^#", line, maxsplit=1)[0].strip().rstrip("\\").strip()
        if text and not text.startswith("-"):
            found.append(Requirement(text))
    return found


def locked() -> dict[str, str]:
    """Return the lock's pins: canonical name -> version."""
    pins = {}
    for requirement in requirements("requirements.lock"):
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", requirement
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_every_requirement_is_locked_within_its_range() -> None:
    pins = locked()

    outside = [str(requirement) for requirement in requirements("requirements.txt")
               if not requirement.specifier.contains(
                   pins.get(canonicalize_name(requirement.name), "0"), prereleases=True)]

    assert outside == []


def test_every_pin_has_a_hash() -> None:
    text = (PROJECT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z])", text.split("\n", 1)[1])

    unhashed = [block.split()[0] for block in blocks
                if "==" in block and "--hash=sha256:" not in block]

    assert unhashed == []
    assert len(locked()) >= len(requirements("requirements.txt"))


def test_the_procfile_runs_gunicorn_with_its_config() -> None:
    procfile = (PROJECT / "Procfile").read_text(encoding="utf-8")

    assert "gunicorn -c gunicorn.conf.py 'bot.web:create_app()'" in procfile
