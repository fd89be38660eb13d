"""JSON for the host's attrs model classes, as TestMail's API spells them.

A real provider maps its API's own JSON; TestMail's API is ours, so it simply uses the model's field
names. What must never leave the client is left out: ``provider_data`` (local bookkeeping), ``raw``
(sent as its own field) and a meeting's ``start_url`` (never in an invitation, promise 1).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any

import attrs

SKIPPED = frozenset({"provider_data", "raw", "start_url"})


def to_json(value: Any) -> Any:
    if attrs.has(type(value)):
        return {f.name: to_json(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.name not in SKIPPED}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        items = [to_json(item) for item in value]
        return sorted(items) if isinstance(value, frozenset | set) else items
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(cls: Any, data: Any) -> Any:
    """Rebuild a value of type ``cls`` (an attrs class or a type hint) from :func:`to_json` output."""
    if data is None:
        return None
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(cls) if arg is not type(None)]
        return from_json(options[0], data)
    if origin in (tuple, frozenset, list):
        item_type = typing.get_args(cls)[0]
        return origin(from_json(item_type, item) for item in data)
    if origin is dict or cls is Any:
        return data
    if attrs.has(cls):
        hints = typing.get_type_hints(cls)
        known = {f.name for f in attrs.fields(cls) if f.init and f.name not in SKIPPED}
        return cls(**{name: from_json(hints[name], value) for name, value in data.items() if name in known})
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return cls(data)
    if cls is dt.datetime:
        return dt.datetime.fromisoformat(data)
    return data
