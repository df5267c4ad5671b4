"""The bot's Thai wording, loaded from ``conversations/th.yaml``.

Prompts, button labels, warnings, help and the command words are content: a domain
expert edits the YAML without touching Python. The file is validated when it is loaded:
a missing message or command names the file and the key.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONVERSATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "conversations"

#: Commands the engine implements; ``conversations/th.yaml`` gives their words.
COMMANDS = ("start", "next", "back", "skip", "goto", "edit", "append", "progress", "draft",
            "list", "open", "cancel", "delete", "confirm", "help", "resume")
#: Commands that take a question or application number ("ข้อ 5", "แก้ข้อ 3", "เลือก 2").
NUMBERED = frozenset({"goto", "edit", "open"})

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_TRAILING = " \t\r\n.!?。,;:ๆฯ'\"“”)("


class TextsError(ValueError):
    """The wording file is malformed; the message names the file and the key."""


def normalise(text: str) -> str:
    """Fold case, Thai digits, inner spaces and trailing punctuation for matching."""
    folded = text.translate(_THAI_DIGITS).strip().strip(_TRAILING).lower()
    return re.sub(r"\s+", " ", folded)


@dataclass(frozen=True)
class Command:
    """A recognised command and its number, if it takes one."""

    name: str
    number: int | None = None


class Texts:
    """The messages and command words of one language."""

    def __init__(self, data: dict[str, Any], path: Path) -> None:
        self.path = path
        self.messages: dict[str, str] = self._messages(data)
        self.labels: dict[str, str] = self._mapping(data, "labels")
        self._plain, self._numbered = self._commands(data)
        self._first = {name: normalise(str(data["commands"][name][0])) for name in COMMANDS}

    def _mapping(self, data: dict[str, Any], key: str) -> dict[str, str]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise TextsError(f"{self.path}: '{key}' must be a mapping")
        for name, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise TextsError(f"{self.path}: '{key}.{name}' must be non-empty text")
        return {k: v.strip() for k, v in value.items()}

    def _messages(self, data: dict[str, Any]) -> dict[str, str]:
        messages = self._mapping(data, "messages")
        for name, text in messages.items():
            try:
                list(string.Formatter().parse(text))
            except ValueError as exc:
                raise TextsError(f"{self.path}: 'messages.{name}': {exc}") from exc
        return messages

    def _commands(self, data: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, str]]]:
        words = data.get("commands")
        if not isinstance(words, dict):
            raise TextsError(f"{self.path}: 'commands' must be a mapping")
        plain: dict[str, str] = {}
        numbered: list[tuple[str, str]] = []
        for name in COMMANDS:
            aliases = words.get(name)
            if not isinstance(aliases, list) or not aliases:
                raise TextsError(f"{self.path}: 'commands.{name}' must list its words")
            for alias in aliases:
                key = normalise(str(alias))
                if name in NUMBERED:
                    numbered.append((key, name))
                elif plain.setdefault(key, name) != name:
                    raise TextsError(f"{self.path}: 'commands.{name}': '{alias}' is also "
                                     f"'{plain[key]}'")
        # Longest words first, so "แก้ข้อ" wins over "ข้อ".
        numbered.sort(key=lambda pair: -len(pair[0]))
        return plain, numbered

    def get(self, key: str, **values: Any) -> str:
        """Return message ``key`` with ``values`` filled in."""
        try:
            template = self.messages[key]
        except KeyError:
            raise TextsError(f"{self.path}: no message 'messages.{key}'") from None
        return template.format(**values) if values else template

    def label(self, key: str) -> str:
        """Return button label ``key``."""
        try:
            return self.labels[key]
        except KeyError:
            raise TextsError(f"{self.path}: no label 'labels.{key}'") from None

    def word(self, command: str) -> str:
        """Return the first (Thai) word of a command, as typed to run it."""
        try:
            return self._first[command]
        except KeyError:
            raise TextsError(f"{self.path}: no word for command '{command}'") from None

    def command(self, text: str) -> Command | None:
        """Recognise a command in a whole message, or return None."""
        folded = normalise(text)
        if folded in self._plain:
            return Command(self._plain[folded])
        for key, name in self._numbered:
            if folded.startswith(key):
                rest = folded[len(key):].strip()
                # isdigit() also accepts "²" and "①", which int() refuses.
                if rest.isascii() and rest.isdigit() and len(rest) <= 4:
                    return Command(name, int(rest))
        return None


def load_texts(path: Path) -> Texts:
    """Load and validate one wording file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TextsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise TextsError(f"{path}: expected a mapping at the top level")
    return Texts(data, path)


@lru_cache(maxsize=1)
def default_texts() -> Texts:
    """Return the Thai wording, loaded once per process."""
    return load_texts(CONVERSATIONS_DIR / "th.yaml")
