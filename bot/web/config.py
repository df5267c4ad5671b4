"""The web app's settings: read from the environment inside the factory, overridable by a dict."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

#: Settings the app cannot run without.
REQUIRED = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "PUBLIC_BASE_URL", "SECRET_KEY")
#: Settings with a default (DATABASE_URL's default comes from bot.store).
OPTIONAL = ("DATABASE_URL", "LINE_API_HOST", "LINE_TIMEOUT", "MAX_CONTENT_LENGTH")

DEFAULT_LINE_TIMEOUT = 5.0
#: LINE's webhook bodies are a few kB; a megabyte leaves room for big batches.
DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names the variable."""


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Collect the settings from the environment, let ``overrides`` win, and check them."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    settings: dict[str, Any] = {}
    for name in REQUIRED + OPTIONAL:
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
    settings["PUBLIC_BASE_URL"] = str(settings["PUBLIC_BASE_URL"]).rstrip("/")
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
