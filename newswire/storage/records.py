"""Dataclasses read from table rows and written to them, a column per field of the same name.

Most stores keep one dataclass a row. What differs from field to field is only
how its value is stored, and that follows from the field's type: times as the
fixed-width text of `rows.db_time`, enums as their value, lists of words as
JSON, flags and counts as numbers. `from_row` and `row_values` do that once
for every such dataclass; a store names only the fields stored another way.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from newswire.storage.rows import db_time, db_time_or_none, py_time, py_time_or_none

T = TypeVar("T")
Convert = Callable[[Any], Any]

_OPTIONAL_TIME = datetime | None
_WORDS = tuple[str, ...]


def _words_from_json(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _words_to_json(words: tuple[str, ...]) -> str:
    return json.dumps(list(words), ensure_ascii=False)


def _enum_value(member: Enum) -> Any:
    return member.value


def _reader(hint: Any) -> Convert | None:
    """Return how a column becomes a field of this type (None: as it is)."""
    if hint is datetime:
        return py_time
    if hint == _OPTIONAL_TIME:
        return py_time_or_none
    if hint == _WORDS:
        return _words_from_json
    if isinstance(hint, type) and issubclass(hint, Enum | bool | int | float):
        return hint  # enums from their value; SQLite hands back 0/1 for a flag
    return None


def _writer(hint: Any) -> Convert | None:
    """Return how a field of this type is stored in its column (None: as it is)."""
    if hint is datetime:
        return db_time
    if hint == _OPTIONAL_TIME:
        return db_time_or_none
    if hint == _WORDS:
        return _words_to_json
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_value
    return None


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    read: Convert | None
    write: Convert | None
    optional: bool  # has a default, so a row may lack its column


# Each dataclass's fields, worked out from its type hints once.
_FIELDS: dict[type[Any], tuple[_Field, ...]] = {}


def _fields(cls: type[Any]) -> tuple[_Field, ...]:
    known = _FIELDS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    known = _FIELDS[cls] = tuple(
        _Field(
            field.name,
            _reader(hints[field.name]),
            _writer(hints[field.name]),
            field.default is not dataclasses.MISSING
            or field.default_factory is not dataclasses.MISSING,
        )
        for field in dataclasses.fields(cls)
        if field.init
    )
    return known


def from_row(cls: type[T], row: Mapping[Any, Any], **given: Any) -> T:
    """Build the dataclass `cls` from a row that holds a column per field of the same name.

    `given` are the fields the row holds another way (another column, other
    JSON, another table), taken as they are; a field with a default keeps it
    where the row has no column of its name.
    """
    values = dict(given)
    for field in _fields(cls):
        if field.name in values or (field.optional and field.name not in row):
            continue
        value = row[field.name]
        values[field.name] = value if field.read is None else field.read(value)
    return cls(**values)


def row_values(record: Any, leave_out: Collection[str] = (), **given: Any) -> dict[str, Any]:
    """Return the row of a dataclass: a column per field, stored as its type asks.

    `given` are the columns stored another way (or that are no field), taken
    as they are; `leave_out` names the fields that are no column.
    """
    values: dict[str, Any] = {}
    for field in _fields(type(record)):
        if field.name not in given and field.name not in leave_out:
            value = getattr(record, field.name)
            values[field.name] = value if field.write is None else field.write(value)
    values.update(given)
    return values
