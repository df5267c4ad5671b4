"""LINE's JSON for the SDK's message models: what their ``to_dict()`` gives, walked once.

The bot builds every message with the SDK's models (:mod:`bot.web.line_messages`), which check
each field as it is set. Turning them into JSON with ``to_dict()`` is slow, though: each model
asks pydantic for its whole subtree and then replaces each child with the child's own
``to_dict()``, which does the same again, so an acknowledgement with ten chips is serialised
about a dozen times over (0.7 ms of an answer's 4 ms, inside the chat's transaction).

:func:`message_json` gives the same JSON in one walk, by the rules those generated methods
follow: every field that is not None, under its alias (LINE's camelCase name); a nested model
as its own JSON; lists and dicts of models item by item, falsy items left out; any other value
as it is. tests/test_web_line_json.py holds it to ``to_dict()`` for every kind of message the
bot sends.
"""

from __future__ import annotations

from typing import Any

from pydantic.v1 import BaseModel


def message_json(model: BaseModel) -> dict[str, Any]:
    """Return the model as LINE's JSON, exactly as its ``to_dict()`` would."""
    out: dict[str, Any] = {}
    for name, field in model.__fields__.items():
        value = getattr(model, name)
        if value is not None:
            out[field.alias] = _value(value)
    return out


def _value(value: Any) -> Any:
    """Return one field's value as JSON."""
    if isinstance(value, BaseModel):
        return message_json(value)
    if isinstance(value, list):
        return [_value(item) for item in value if item]
    if isinstance(value, dict):
        return {key: _value(item) for key, item in value.items() if item}
    return value
