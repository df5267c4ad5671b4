"""Load the Thai wording of the findings from ``conversations/findings.yaml``.

The file is content: a domain expert edits the Thai without touching Python. It is read
and validated once; a missing code, an empty message or a placeholder the analysis does
not supply raises :class:`FindingsFileError` naming the file and the code.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

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
    "unproven_claim": frozenset({"claim", "ask"}),
}
#: Labels the analysis refers to, by group, with the keys each group must have.
LABEL_KEYS: dict[str, frozenset[str]] = {
    "personal_data": frozenset({"national_id", "mobile"}),
    "facilitation": frozenset({"rules", "steps", "time", "cost"}),
    "units": frozenset({"pages", "chars", "words"}),
    "join": frozenset({"list"}),
}
#: Lines of the command-line report, with their placeholders.
CLI_KEYS: dict[str, frozenset[str]] = {
    "heading": frozenset({"track", "question", "weight"}),
    "counts": frozenset({"words", "chars"}),
    "findings": frozenset({"count"}),
    "finding": frozenset({"number", "message"}),
    "quote": frozenset({"quote"}),
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
class FindingMessages:
    """The validated wording: messages by code, labels by group, command-line lines."""

    path: Path
    messages: Mapping[str, str]
    labels: Mapping[str, Mapping[str, str]]
    cli: Mapping[str, str]

    def render(self, code: str, values: Mapping[str, Any]) -> str:
        """Return the message of ``code`` with its placeholders filled in."""
        shown = {name: self.show(value) for name, value in values.items()}
        return " ".join(self.messages[code].format(**shown).split())

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


def _read_messages(path: Path, data: Any) -> dict[str, str]:
    """Read and check the ``findings`` section."""
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, dict):
        raise _fail(path, "findings", "expected a mapping of finding codes")
    for code in PLACEHOLDERS:
        if code not in findings:
            raise _fail(path, f"findings.{code}", "is missing (the analysis gives this code)")
    unknown = set(findings) - set(PLACEHOLDERS)
    if unknown:
        raise _fail(path, f"findings.{sorted(unknown)[0]}", "is not a code the analysis gives")
    messages = {}
    for code, entry in findings.items():
        if not isinstance(entry, dict):
            raise _fail(path, f"findings.{code}", "expected a mapping with 'message'")
        messages[code] = _check_text(path, f"findings.{code}.message", entry.get("message"),
                                     PLACEHOLDERS[code])
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
    messages = _read_messages(path, data)
    labels = _read_group(path, data, "labels", LABEL_KEYS)
    for group, keys in LABEL_KEYS.items():
        entries = _read_group(path, labels, f"labels.{group}", keys)
        for key in keys:
            if not isinstance(entries[key], str) or (key != "list" and not entries[key].strip()):
                raise _fail(path, f"labels.{group}.{key}", "must be a non-empty string")
    cli = _read_group(path, data, "cli", CLI_KEYS)
    for key, allowed in CLI_KEYS.items():
        _check_text(path, f"cli.{key}", cli[key], allowed)
    return FindingMessages(path=path, messages=messages, labels=labels,
                           cli={k: cli[k] for k in CLI_KEYS})


@lru_cache(maxsize=1)
def default_messages() -> FindingMessages:
    """Return the project's findings wording, loaded once per process."""
    return load_messages()
