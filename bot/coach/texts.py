"""The bot's Thai wording, loaded from ``conversations/th.yaml``.

Everything an officer reads in Thai is content: the chat's prompts, button labels,
warnings, help and command words, the draft documents' headings and labels, the terminal
chat's lines and the rich menu's chat-bar text. A domain expert edits the YAML without
touching Python. The file is validated when it is loaded: a missing text names the file
and the key, and so does a placeholder a text may not use or one it must use and lacks.

The bot's name is written once, as ``bot_name``; any text may say ``{bot}`` and the loader
puts the name there. ``tests/test_wording.py`` keeps Thai out of the Python under ``bot/``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

CONVERSATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "conversations"

#: Commands the engine implements; ``conversations/th.yaml`` gives their words.
COMMANDS = ("start", "next", "back", "skip", "goto", "edit", "append", "progress", "draft",
            "list", "open", "cancel", "delete", "confirm", "help", "resume", "undo", "redo",
            "agency", "contact", "award_year", "copy", "revoke_links", "edit_on_web")
#: Commands that take a question or application number ("ข้อ 5", "แก้ข้อ 3", "เลือก 2").
NUMBERED = frozenset({"goto", "edit", "open", "copy"})
#: Commands that take free text after their word ("agency <name>"); alone, they ask for it.
TAKES_TEXT = frozenset({"agency", "contact", "award_year"})
#: The longest free text such a command takes; a longer message is text for the answer.
MAX_ARGUMENT = 200

# Thai digits and Thai punctuation are built from their code points so that this module
# holds no Thai literal: all Thai text lives in conversations/ (tests/test_wording.py).
#: Thai digits ๐–๙ (U+0E50–U+0E59) read as 0–9.
_THAI_DIGITS = str.maketrans({0x0E50 + i: str(i) for i in range(10)})
#: Punctuation dropped from the end of a command; U+0E46 ๆ (mai yamok), U+0E2F ฯ (paiyannoi).
_TRAILING = " \t\r\n.!?。,;:'\"“”)(" + chr(0x0E46) + chr(0x0E2F)
_FORMATTER = string.Formatter()
#: What ``string.Formatter.parse`` yields: literal text, then field name, spec, conversion.
_Field = tuple[str, str | None, str | None, str | None]


def _braced(names: set[str] | frozenset[str]) -> str:
    """Write placeholder names as they appear in the file: "{a} {b}", or "none"."""
    return " ".join(f"{{{name}}}" for name in sorted(names)) or "none"


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
    argument: str | None = None  # the free text after the word of a TAKES_TEXT command


# --- the sections beyond the chat: one dataclass each, its fields the keys of the section ---

def _text(*placeholders: str) -> Any:
    """Declare a text of a section and the placeholders it must use (and no others)."""
    return field(metadata={"placeholders": frozenset(placeholders)})


def _text_list(length: int) -> Any:
    """Declare a list of exactly ``length`` plain texts."""
    return field(metadata={"length": length})


def _text_map(*keys: str) -> Any:
    """Declare a mapping of plain texts with exactly these keys."""
    return field(metadata={"keys": keys})


def _word_list() -> Any:
    """Declare a non-empty list of words, kept as they match (folded by :func:`normalise`)."""
    return field(metadata={"words": True})


@dataclass(frozen=True)
class DraftWording:
    """The draft documents' wording (``draft:``), shared by DOCX, PDF, text and preview."""

    heading: str = _text("year")
    title: str = _text()
    agency: str = _text()
    contact: str = _text()
    award_year: str = _text()
    branch: str = _text()
    category: str = _text()
    criteria_label: str = _text()
    criteria_year: str = _text("year")
    generated: str = _text()
    date: str = _text("day", "month", "year")
    months: tuple[str, ...] = _text_list(12)
    dimension: str = _text("number", "name", "points")
    additional: str = _text()
    question: str = _text("number")
    gap_empty: str = _text()
    gap_skipped: str = _text()
    counts: str = _text("words", "chars")
    limit: str = _text("max", "unit")
    units: Mapping[str, str] = _text_map("pages", "chars", "words")
    appendix: str = _text()
    appendix_none: str = _text()
    finding_quote: str = _text("quote")
    page: str = _text("page", "pages")
    page_number: str = _text("page")
    before_number: tuple[str, ...] = _word_list()
    file_stem: str = _text("title")
    author: str = _text()
    preview_title: str = _text()
    progress_heading: str = _text()
    progress: str = _text("answered", "total")
    progress_total: str = _text()
    downloads_heading: str = _text()
    downloads: Mapping[str, str] = _text_map("docx", "pdf", "txt")
    findings_heading: str = _text()
    editions: Mapping[str, str] = _text_map("clean", "working")
    edition_notes: Mapping[str, str] = _text_map("clean", "working")
    preview_edition: str = _text("edition")
    text_counts: str = _text("with_spaces", "without_spaces")


@dataclass(frozen=True)
class CliWording:
    """The terminal's wording (``cli:``): the chat's prompt and the rubric listing."""

    prompt: str = _text()
    rubric: str = _text("year", "track", "name", "points")
    rubric_dimension: str = _text("number", "name", "points", "count")


@dataclass(frozen=True)
class RichMenuWording:
    """The rich menu's wording (``richmenu:``); its buttons send the commands' words."""

    chat_bar: str = _text()


@dataclass(frozen=True)
class RecognitionWording:
    """What officers type around and instead of commands (``recognition:``).

    ``leading`` and ``trailing`` are the polite particles and fillers peeled off a message
    before it is matched against the commands ("next, please", "ok next"); ``courtesy`` are
    thanks and acknowledgements, never written into an answer; ``yes`` and ``no`` answer the
    bot's "did you mean …?" question. See :mod:`bot.coach.recognition`.
    """

    leading: tuple[str, ...] = _word_list()
    trailing: tuple[str, ...] = _word_list()
    courtesy: tuple[str, ...] = _word_list()
    yes: tuple[str, ...] = _word_list()
    no: tuple[str, ...] = _word_list()
    yes_label: str = _text("command")
    no_label: str = _text()


class Texts:
    """The messages, command words and section texts of one language."""

    def __init__(self, data: dict[str, Any], path: Path) -> None:
        """Validate the parsed wording file ``data``; errors name ``path`` and the key."""
        self.path = path
        self.bot_name = self._bot_name(data)
        self.messages: dict[str, str] = self._mapping(data, "messages")
        self.labels: dict[str, str] = self._mapping(data, "labels")
        self._plain, self._numbered = self._commands(data)
        self._first = {name: normalise(str(data["commands"][name][0])) for name in COMMANDS}
        self.draft = DraftWording(**self._section(data, "draft", DraftWording))
        self.cli = CliWording(**self._section(data, "cli", CliWording))
        self.richmenu = RichMenuWording(**self._section(data, "richmenu", RichMenuWording))
        self.recognition = RecognitionWording(
            **self._section(data, "recognition", RecognitionWording))

    def _bot_name(self, data: dict[str, Any]) -> str:
        """Return the bot's name: one line, no braces (it is put into format strings)."""
        name = data.get("bot_name")
        if not isinstance(name, str) or not name.strip() or set(name) & set("{}\r\n"):
            raise TextsError(f"{self.path}: 'bot_name' must be one line of text, without braces")
        return name.strip()

    def _mapping(self, data: dict[str, Any], key: str) -> dict[str, str]:
        """Return the non-empty texts of mapping ``key``, the bot's name put in."""
        value = data.get(key)
        if not isinstance(value, dict):
            raise TextsError(f"{self.path}: '{key}' must be a mapping")
        for name, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise TextsError(f"{self.path}: '{key}.{name}' must be non-empty text")
        return {k: self._with_bot(f"{key}.{k}", v.strip()) for k, v in value.items()}

    def _fields(self, key: str, text: str) -> list[_Field]:
        """Parse ``text`` as a format string, naming ``key`` when it is malformed."""
        try:
            return list(_FORMATTER.parse(text))
        except ValueError as exc:
            raise TextsError(f"{self.path}: '{key}': {exc}") from exc

    def _with_bot(self, key: str, text: str) -> str:
        """Put the bot's name where ``text`` says ``{bot}``, keeping the other placeholders."""
        parts = []
        for literal, name, spec, conversion in self._fields(key, text):
            parts.append(literal.replace("{", "{{").replace("}", "}}"))
            if name is not None:
                placeholder = "{" + name + (f"!{conversion}" if conversion else "") + (
                    f":{spec}" if spec else "") + "}"
                parts.append(placeholder.format(bot=self.bot_name) if name == "bot"
                             else placeholder)
        return "".join(parts)

    def _commands(self, data: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """Return the plain command words and the numbered ones, longest first."""
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

    def _section(self, data: dict[str, Any], key: str, wording: type[Any]) -> dict[str, Any]:
        """Return the validated texts of section ``key``, by the fields of ``wording``."""
        section = data.get(key)
        if not isinstance(section, dict):
            raise TextsError(f"{self.path}: '{key}' must be a mapping")
        specs = fields(wording)
        unknown = sorted(set(map(str, section)) - {spec.name for spec in specs})
        if unknown:
            raise TextsError(f"{self.path}: '{key}.{unknown[0]}' is not a text the bot uses")
        return {spec.name: self._entry(f"{key}.{spec.name}", section.get(spec.name),
                                       spec.metadata) for spec in specs}

    def _entry(self, key: str, value: Any, spec: Mapping[str, Any]) -> Any:
        """Validate one entry of a section: a text, a list of texts or a mapping of texts."""
        if value is None:
            raise TextsError(f"{self.path}: no text '{key}'")
        if "length" in spec:
            return self._text_list(key, value, spec["length"])
        if "keys" in spec:
            return self._text_map(key, value, spec["keys"])
        if "words" in spec:
            return self._word_list(key, value)
        return self._template(key, value, spec["placeholders"])

    def _text_list(self, key: str, value: Any, length: int) -> tuple[str, ...]:
        """Return a list of ``length`` plain texts."""
        if not isinstance(value, list) or len(value) != length:
            raise TextsError(f"{self.path}: '{key}' must list {length} texts")
        return tuple(self._template(f"{key}.{i}", item, frozenset())
                     for i, item in enumerate(value, start=1))

    def _text_map(self, key: str, value: Any, keys: tuple[str, ...]) -> Mapping[str, str]:
        """Return a read-only mapping of plain texts with exactly ``keys``."""
        if not isinstance(value, dict):
            raise TextsError(f"{self.path}: '{key}' must be a mapping")
        unknown = sorted(set(map(str, value)) - set(keys))
        if unknown:
            raise TextsError(f"{self.path}: '{key}.{unknown[0]}' is not a text the bot uses")
        for name in keys:
            if value.get(name) is None:
                raise TextsError(f"{self.path}: no text '{key}.{name}'")
        return MappingProxyType({name: self._template(f"{key}.{name}", value[name], frozenset())
                                 for name in keys})

    def _word_list(self, key: str, value: Any) -> tuple[str, ...]:
        """Return a non-empty list of words, each folded as messages are before matching."""
        if not isinstance(value, list) or not value:
            raise TextsError(f"{self.path}: '{key}' must list its words")
        words = []
        for index, word in enumerate(value, start=1):
            folded = normalise(str(word)) if isinstance(word, str | int) else ""
            if not folded:
                raise TextsError(f"{self.path}: '{key}.{index}' must be a non-empty word")
            words.append(folded)
        return tuple(words)

    def _template(self, key: str, value: Any, placeholders: frozenset[str]) -> str:
        """Return text ``key`` with the bot's name in, checking it uses exactly ``placeholders``."""
        if not isinstance(value, str) or not value.strip():
            raise TextsError(f"{self.path}: '{key}' must be non-empty text")
        text = self._with_bot(key, value.strip())
        used = {name for _literal, name, _spec, _conv in self._fields(key, text)
                if name is not None}
        if used != placeholders:
            raise TextsError(f"{self.path}: '{key}' must use the placeholders "
                             f"{_braced(placeholders)}; it uses {_braced(used)}")
        try:
            text.format(**dict.fromkeys(placeholders, 0))
        except (ValueError, TypeError) as exc:
            raise TextsError(f"{self.path}: '{key}': {exc}") from exc
        return text

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

    def command_words(self) -> list[tuple[str, str]]:
        """Return every command word, folded, with its command's name."""
        return [*self._plain.items(), *self._numbered]

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
