"""The web app's settings: read from the environment inside the factory, overridable by a dict."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any

from bot.coach.limits import SETTINGS as LIMIT_SETTINGS
from bot.coach.limits import limits_from

#: Settings the app cannot run without.
REQUIRED = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "PUBLIC_BASE_URL", "SECRET_KEY")
#: Settings with a default (DATABASE_URL's default comes from bot.store).
OPTIONAL = ("DATABASE_URL", "LINE_API_HOST", "LINE_TIMEOUT", "MAX_CONTENT_LENGTH",
            "LINK_MAX_AGE_DAYS", "EDITOR_LINK_MINUTES", "LIFF_ID")

#: The retention policy's settings, checked where they are used (bot.store.retention).
RETENTION = ("RETENTION_ENDED_DAYS", "RETENTION_EVENT_DAYS", "RETENTION_IDLE_DAYS",
             "RETENTION_NOTICE_DAYS", "PURGE_BATCH", "PURGE_INTERVAL_HOURS")
#: The bounds of a draft download (bot.delivery.cache): wait, build time, size, builders.
DRAFTS = ("DRAFT_WAIT_SECONDS", "DRAFT_BUILD_TIMEOUT", "DRAFT_MAX_CHARS", "DRAFT_BUILDERS")
#: What one chat may send (bot.coach.limits), checked here: a bad one stops start-up.
LIMITS = tuple(LIMIT_SETTINGS.values())
#: The outbox sender's settings, checked where they are used (bot.outbox.policy).
OUTBOX = ("OUTBOX_THREAD", "OUTBOX_LEASE_SECONDS", "OUTBOX_GIVE_UP_HOURS", "OUTBOX_RETRY_SECONDS",
          "OUTBOX_RETRY_MAX_SECONDS", "OUTBOX_POLL_SECONDS", "OUTBOX_CALLS")

DEFAULT_LINE_TIMEOUT = 5.0
#: LINE's webhook bodies are a few kB; a megabyte leaves room for big batches.
DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024
#: How many days a draft link opens (the card and the link page say so, in whole days).
DEFAULT_LINK_MAX_AGE_DAYS = 7
#: How many minutes an editor link opens (bot.editor): it can change answers, so hours only.
DEFAULT_EDITOR_LINK_MINUTES = 120


#: SECRET_KEY signs every draft link, and a link can be tried against guesses offline: the
#: key must carry at least this many bytes of entropy.
MIN_KEY_BYTES = 32
HOW_TO_MAKE_A_KEY = ('make one with: python -c "import secrets; print(secrets.token_urlsafe(32))" '
                     "(and give every instance the same one)")
_HEX = re.compile(r"[0-9a-fA-F]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
#: Words people put in keys (six letters or more, none spelt in hex digits only): a random key
#: of 43 characters contains one by sheer chance about once in a million.
_COMMON_WORDS = ("changeme", "change-me", "secret", "password", "passw0rd", "default", "example",
                 "qwerty", "letmein", "lertrat", "django", "insecure", "production")
_WORD_SEPARATORS = re.compile(r"[\s._,:;+-]+")


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the variable."""


def check_secret_key(key: str) -> None:
    """Refuse a SECRET_KEY with less than 32 bytes of entropy, saying how to make a good one."""
    problem = _key_weakness(key.strip())
    if problem:
        raise ConfigError(f"SECRET_KEY is too weak: {problem}; {HOW_TO_MAKE_A_KEY}")


def _key_weakness(key: str) -> str | None:
    """Say why ``key`` cannot hold 32 random bytes, or return None when it may."""
    holds = _entropy_bytes(key)
    if holds < MIN_KEY_BYTES:
        return (f"it holds at most {holds} of the {MIN_KEY_BYTES} random bytes "
                f"needed ({len(key)} characters)")
    lowered = key.lower()
    found = next((word for word in _COMMON_WORDS if word in lowered), None)
    if found:
        return f"it contains the word {found!r}"
    if _looks_like_words(key):
        return "it is made of words"
    if not _looks_random(key):
        return "it repeats itself or runs in sequence"
    return None


def _entropy_bytes(key: str) -> int:
    """Return how many random bytes ``key`` can hold at most, by the alphabet it is written in.

    Hex holds 4 bits a character. Otherwise the classes the key uses (lower and upper case
    letters, digits, and symbols counted as base64's two) make its alphabet, at most 6 bits a
    character: base64 counts whole, a key of lower case letters only 4.7 bits a character.
    """
    if _HEX.fullmatch(key):
        return len(key) // 2
    alphabet = sum(size for pattern, size in ((r"[a-z]", 26), (r"[A-Z]", 26), (r"[0-9]", 10),
                                              (r"[^A-Za-z0-9]", 2)) if re.search(pattern, key))
    bits_per_character = min(6.0, math.log2(max(alphabet, 2)))
    if _BASE64.fullmatch(key) and alphabet >= 36:
        bits_per_character = 6.0  # random base64 drops a class now and then: count it whole
    return int(len(key) * bits_per_character) // 8


def _looks_like_words(key: str) -> bool:
    """Tell whether ``key`` is three or more words between separators, each in one case."""
    pieces = [piece for piece in _WORD_SEPARATORS.split(key) if piece]
    return len(pieces) >= 3 and all(
        piece.isalpha() and (piece.islower() or piece.isupper() or piece.istitle())
        for piece in pieces)


def _looks_random(key: str) -> bool:
    """Tell whether ``key`` has the variety of random text: no period, no runs, many symbols."""
    if len(set(key)) < 10 or max(key.count(c) for c in set(key)) > len(key) / 4:
        return False
    if any(key == (key[:period] * (len(key) // period + 1))[:len(key)]
           for period in range(1, len(key) // 2 + 1)):
        return False
    steps = [abs(ord(b) - ord(a)) for a, b in zip(key, key[1:], strict=False)]
    return sum(step <= 1 for step in steps) < len(steps) / 2


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Collect the settings from the environment, let ``overrides`` win, and check them."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    settings: dict[str, Any] = {}
    for name in REQUIRED + OPTIONAL + RETENTION + LIMITS + DRAFTS + OUTBOX:
        value = overrides.pop(name, environ.get(name))
        if value not in (None, ""):
            settings[name] = value
    missing = [name for name in REQUIRED if name not in settings]
    if missing:
        raise ConfigError(f"missing setting {missing[0]}: set the environment variable "
                          f"{missing[0]} (all missing: {', '.join(missing)})")
    settings["LINE_TIMEOUT"] = _positive_number(settings, "LINE_TIMEOUT", DEFAULT_LINE_TIMEOUT)
    settings["MAX_CONTENT_LENGTH"] = int(_positive_number(
        settings, "MAX_CONTENT_LENGTH", DEFAULT_MAX_CONTENT_LENGTH))
    settings["LINK_MAX_AGE_DAYS"] = _whole_days(settings, "LINK_MAX_AGE_DAYS",
                                                DEFAULT_LINK_MAX_AGE_DAYS)
    settings["EDITOR_LINK_MINUTES"] = max(1, round(_positive_number(
        settings, "EDITOR_LINK_MINUTES", DEFAULT_EDITOR_LINK_MINUTES)))
    settings["PUBLIC_BASE_URL"] = str(settings["PUBLIC_BASE_URL"]).rstrip("/")
    for name in DRAFTS:  # defaults in bot.delivery.cache.BuildLimits
        if name in settings:
            settings[name] = _positive_number(settings, name, 0)
    check_secret_key(str(settings["SECRET_KEY"]))
    try:
        limits_from(settings)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if "DATABASE_URL" not in settings:
        from bot.store import default_database_url
        settings["DATABASE_URL"] = default_database_url()
    settings.update(overrides)  # anything else (TESTING, ...) passes through to Flask
    return settings


def _positive_number(settings: Mapping[str, Any], name: str, default: float) -> float:
    """Return the setting as a positive number, or ``default`` when it is unset."""
    raw = settings.get(name, default)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"invalid setting {name}={raw!r}: expected a number") from None
    if value <= 0:
        raise ConfigError(f"invalid setting {name}={raw!r}: expected a positive number")
    return value


def _whole_days(settings: Mapping[str, Any], name: str, default: int) -> int:
    """Return the setting as a positive whole number of days (the bot tells it in days)."""
    days = _positive_number(settings, name, default)
    if days != int(days):
        raise ConfigError(f"invalid setting {name}={settings.get(name)!r}: expected whole days")
    return int(days)
