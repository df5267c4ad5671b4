"""Load the Thai wording of the findings from ``conversations/findings.yaml``.

The file is content: a domain expert edits the Thai without touching Python. It is read
and validated once; a missing code, an empty message or a placeholder the analysis does
not supply raises :class:`FindingsFileError` naming the file and the code.

A message may say ``{example}``: the example sentence that fits where the answer stands,
chosen from the code's ``examples`` (see :class:`Examples`). A code may have a ``fill_in``
template (a sentence with blanks ``__``) that the chat offers as a chip; the chip's label is
``labels.fill_in.chip`` with the question's number and the template's short ``what``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.rubrics import default_rubrics

FINDINGS_FILE = Path(__file__).resolve().parent.parent.parent / "conversations" / "findings.yaml"

#: Every finding code the analysis can give, with the placeholders its message may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "empty": frozenset({"expected"}),
    "thin": frozenset({"words", "expected"}),
    "over_limit": frozenset({"limit", "length", "unit", "excess"}),
    "personal_data": frozenset({"kind"}),
    "no_statistics": frozenset(),
    "no_before_after": frozenset(),
    "no_beneficiaries": frozenset(),
    "no_sdg": frozenset(),
    "no_evaluation": frozenset(),
    "vague_quantifier": frozenset({"phrase"}),
    "no_extension_scope": frozenset(),
    "no_interoperability": frozenset(),
    "no_data_security": frozenset(),
    "no_consent": frozenset(),
    "no_readiness": frozenset(),
    "no_facilitation": frozenset({"missing"}),
    "no_participation_level": frozenset({"expected"}),
    "participation_level_low": frozenset({"reached", "expected"}),
    "few_areas": frozenset({"found", "min"}),
    "no_poverty": frozenset(),
    "too_long": frozenset({"chars", "pages", "max_chars", "points"}),
    "repeated_text": frozenset(),
    "informal": frozenset(),
    "unproven_claim": frozenset({"claim", "ask", "fill_in"}),
}
#: The placeholder every message may use when its code has examples.
EXAMPLE = "example"
#: The blank an officer replaces in a fill-in template.
BLANK = "__"
#: The longest text a chip may carry as its label (LINE's quick-reply limit, in characters).
MAX_CHIP = 20
#: The longest fill-in template LINE pre-fills (fillInText, in characters).
MAX_FILL_IN = 300
#: Labels the analysis refers to, by group, with the keys each group must have.
LABEL_KEYS: dict[str, frozenset[str]] = {
    "personal_data": frozenset({"national_id", "mobile"}),
    "facilitation": frozenset({"rules", "steps", "time", "cost"}),
    "units": frozenset({"pages", "chars", "words"}),
    "join": frozenset({"list"}),
    "fill_in": frozenset({"chip"}),
}
#: Lines of the command-line report, with their placeholders.
CLI_KEYS: dict[str, frozenset[str]] = {
    "heading": frozenset({"track", "question", "weight"}),
    "counts": frozenset({"words", "chars"}),
    "findings": frozenset({"count"}),
    "finding": frozenset({"number", "message"}),
    "quote": frozenset({"quote"}),
    "fill_in": frozenset({"fill_in"}),
    "reason": frozenset({"reason"}),
    "none": frozenset(),
}


class FindingsFileError(ValueError):
    """The findings file is malformed; the message names the file and the code."""


@dataclass(frozen=True)
class Label:
    """A reference to a label in the findings file, resolved when a message is rendered."""

    group: str
    key: str


@dataclass(frozen=True)
class Measure:
    """A number with a unit label, rendered as "900 ตัวอักษร"."""

    value: int | float
    unit: Label


@dataclass(frozen=True)
class Where:
    """Where an answer stands: its track, question number and category (if known)."""

    track: str
    question: int
    category: str | None = None


@dataclass(frozen=True)
class Examples:
    """A code's example sentences: by question, by category, by both, and a default.

    Keys in the file: ``default``; ``<track> <question>`` ("public_service 7"); a category
    code in quotes ("1.4"); ``<category> <question>`` ("1.6 3"). The most specific wins:
    category and question, then track and question, then category, then the default.
    """

    default: str
    keyed: Mapping[str, str]

    def pick(self, where: Where | None) -> str:
        """Return the example that fits ``where`` best."""
        if where is None:
            return self.default
        keys = [f"{where.track} {where.question}"]
        if where.category is not None:
            keys = [f"{where.category} {where.question}", keys[0], where.category]
        return next((self.keyed[k] for k in keys if k in self.keyed), self.default)


@dataclass(frozen=True)
class FillIn:
    """A fill-in template for a code: the sentence with blanks, and what it is about."""

    text: str
    what: str


@dataclass(frozen=True)
class FindingMessages:
    """The validated wording: messages by code, labels by group, command-line lines."""

    path: Path
    messages: Mapping[str, str]
    labels: Mapping[str, Mapping[str, str]]
    cli: Mapping[str, str]
    examples: Mapping[str, Examples] = field(default_factory=dict)
    fill_ins: Mapping[str, FillIn] = field(default_factory=dict)

    def render(self, code: str, values: Mapping[str, Any], where: Where | None = None) -> str:
        """Return the message of ``code`` with its placeholders (and fitting example) filled in."""
        shown = {name: self.show(value) for name, value in values.items()}
        if code in self.examples:
            shown[EXAMPLE] = self.examples[code].pick(where)
        return " ".join(self.messages[code].format(**shown).split())

    def chip(self, number: int, what: str) -> str:
        """Return the label of a fill-in chip for question ``number``."""
        return self.labels["fill_in"]["chip"].format(number=number, what=what)

    def show(self, value: Any) -> str:
        """Return a placeholder value as Thai text (labels looked up, numbers grouped)."""
        if isinstance(value, Label):
            return self.labels[value.group][value.key]
        if isinstance(value, Measure):
            return f"{self.show(value.value)} {self.show(value.unit)}"
        if isinstance(value, (tuple, list)):
            return self.labels["join"]["list"].join(self.show(v) for v in value)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value:,.1f}"
        return str(value)


def _fail(path: Path, where: str, problem: str) -> FindingsFileError:
    """Build the error for a problem at ``where`` in the findings file."""
    return FindingsFileError(f"{path}: {where}: {problem}")


def _check_text(path: Path, where: str, text: Any, allowed: frozenset[str]) -> str:
    """Check that ``text`` is a non-empty string using only ``allowed`` placeholders."""
    if not isinstance(text, str) or not text.strip():
        raise _fail(path, where, "must be a non-empty string")
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise _fail(path, where, f"broken placeholder: {exc}") from exc
    unknown = used - allowed
    if unknown:
        raise _fail(path, where, f"unknown placeholder(s) {sorted(unknown)}; "
                                 f"this text may use {sorted(allowed) or 'none'}")
    return text


def _findings_section(path: Path, data: Any) -> dict[str, dict[str, Any]]:
    """Return the ``findings`` section, checked to hold exactly the analysis's codes."""
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, dict):
        raise _fail(path, "findings", "expected a mapping of finding codes")
    for code in PLACEHOLDERS:
        if code not in findings:
            raise _fail(path, f"findings.{code}", "is missing (the analysis gives this code)")
    unknown = set(findings) - set(PLACEHOLDERS)
    if unknown:
        raise _fail(path, f"findings.{sorted(unknown)[0]}", "is not a code the analysis gives")
    for code, entry in findings.items():
        if not isinstance(entry, dict):
            raise _fail(path, f"findings.{code}", "expected a mapping with 'message'")
        extra = sorted(set(map(str, entry)) - {"message", "examples", "fill_in"})
        if extra:
            raise _fail(path, f"findings.{code}.{extra[0]}",
                        "is not a key (message, examples, fill_in)")
    return findings


def _read_messages(path: Path, findings: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Read and check each code's message; ``{example}`` only where examples are given."""
    messages = {}
    for code, entry in findings.items():
        allowed = PLACEHOLDERS[code] | ({EXAMPLE} if "examples" in entry else set())
        where = f"findings.{code}.message"
        messages[code] = _check_text(path, where, entry.get("message"), frozenset(allowed))
        if "examples" in entry and "{" + EXAMPLE + "}" not in messages[code]:
            raise _fail(path, where, "has examples but does not say {example}")
    return messages


def _read_group(path: Path, data: Any, section: str, keys: Iterable[str]) -> dict[str, Any]:
    """Read a section (``labels``, ``labels.units``, ``cli`` …) that must hold ``keys``."""
    raw = data.get(section.rsplit(".", 1)[-1])
    if not isinstance(raw, dict):
        raise _fail(path, section, "expected a mapping")
    for key in keys:
        if key not in raw:
            raise _fail(path, f"{section}.{key}", "is missing")
    return raw


def load_messages(path: Path = FINDINGS_FILE) -> FindingMessages:
    """Load and validate a findings file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FindingsFileError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path, "top level", "expected a mapping")
    findings = _findings_section(path, data)
    messages = _read_messages(path, findings)
    labels = _read_group(path, data, "labels", LABEL_KEYS)
    for group, keys in LABEL_KEYS.items():
        entries = _read_group(path, labels, f"labels.{group}", keys)
        for key in keys:
            if not isinstance(entries[key], str) or (key != "list" and not entries[key].strip()):
                raise _fail(path, f"labels.{group}.{key}", "must be a non-empty string")
    cli = _read_group(path, data, "cli", CLI_KEYS)
    for key, allowed in CLI_KEYS.items():
        _check_text(path, f"cli.{key}", cli[key], allowed)
    chip = _check_text(path, "labels.fill_in.chip", labels["fill_in"]["chip"],
                       frozenset({"number", "what"}))
    if "{number}" not in chip or "{what}" not in chip:
        raise _fail(path, "labels.fill_in.chip", "must use {number} and {what}")
    fill_ins = read_fill_ins(path, findings, labels["fill_in"]["chip"])
    return FindingMessages(path=path, messages=messages, labels=labels,
                           cli={k: cli[k] for k in CLI_KEYS},
                           examples=read_examples(path, findings), fill_ins=fill_ins)


_TRACK_QUESTION = re.compile(r"(?P<track>[a-z_]+) (?P<question>[0-9]+)")
_CATEGORY = re.compile(r"(?P<category>[0-9]+\.[0-9]+)(?: (?P<question>[0-9]+))?")


def _example_key(path: Path, where: str, key: Any) -> str:
    """Check an example's key names a real question, category or both; return it."""
    rubrics = default_rubrics()
    if not isinstance(key, str):
        raise _fail(path, where, "keys are 'default', '<track> <question>', '<category>' or "
                                 "'<category> <question>', category codes in quotes")
    m = _TRACK_QUESTION.fullmatch(key) or _CATEGORY.fullmatch(key)
    if key == "default":
        return key
    if m is None:
        raise _fail(path, where, "is not 'default', '<track> <question>', '<category>' or "
                                 "'<category> <question>'")
    groups = m.groupdict()
    tracks = [r for r in rubrics if groups.get("track") in (None, r.track)
              and (groups.get("category") is None
                   or any(c.code == groups["category"] for c in r.categories))]
    question = int(groups["question"]) if groups.get("question") else None
    if not tracks or (question is not None
                      and not any(q.number == question for r in tracks for q in r.questions)):
        raise _fail(path, where, "names no track, category or question of the rubrics")
    return key


def read_examples(path: Path, findings: Mapping[str, Any]) -> dict[str, Examples]:
    """Read each code's ``examples``: a ``default`` and sentences by question or category."""
    found = {}
    for code, entry in findings.items():
        raw = entry.get("examples")
        if raw is None:
            continue
        where = f"findings.{code}.examples"
        if not isinstance(raw, dict) or "default" not in raw:
            raise _fail(path, where, "expected a mapping with a 'default' example")
        keyed = {}
        for key, text in raw.items():
            shown = key if isinstance(key, str) else repr(key)
            name = _example_key(path, f"{where}.{shown}", key)
            if not isinstance(text, str) or not text.strip():
                raise _fail(path, f"{where}.{shown}", "must be a non-empty string")
            keyed[name] = " ".join(text.split())
        found[code] = Examples(default=keyed.pop("default"), keyed=keyed)
    return found


def read_fill_ins(path: Path, findings: Mapping[str, Any], chip: str) -> dict[str, FillIn]:
    """Read each code's ``fill_in`` (``text`` with blanks, short ``what``); check the chip fits."""
    found = {}
    for code, entry in findings.items():
        raw = entry.get("fill_in")
        if raw is None:
            continue
        where = f"findings.{code}.fill_in"
        if not isinstance(raw, dict) or set(raw) != {"text", "what"}:
            raise _fail(path, where, "expected a mapping with 'text' and 'what'")
        for key in ("text", "what"):
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise _fail(path, f"{where}.{key}", "must be a non-empty string")
        fill_in = FillIn(" ".join(raw["text"].split()), raw["what"].strip())
        if BLANK not in fill_in.text or len(fill_in.text) > MAX_FILL_IN:
            raise _fail(path, f"{where}.text",
                        f"must hold a blank {BLANK} and be at most {MAX_FILL_IN} characters")
        check_chip(path, f"{where}.what", chip, fill_in.what)
        found[code] = fill_in
    return found


def check_chip(path: Path, where: str, chip: str, what: str) -> None:
    """Fail when the chip for ``what`` (with a two-digit question) is longer than LINE shows."""
    label = chip.format(number=13, what=what)
    if clusters(label) > MAX_CHIP:
        raise _fail(path, where, f"the chip '{label}' is longer than {MAX_CHIP} characters")


def clusters(text: str) -> int:
    """Count what a reader sees as characters: a Thai vowel or tone mark joins its consonant."""
    return sum(1 for char in text if unicodedata.category(char) not in ("Mn", "Me"))


@lru_cache(maxsize=1)
def default_messages() -> FindingMessages:
    """Return the project's findings wording, loaded once per process."""
    return load_messages()
