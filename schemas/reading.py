"""Reading raw values into records: each value validated once by its field's type.

:func:`read_record` builds a form (or a row of its table) from the raw values a reader
found, keeping why any could not be read; :func:`parse_value` reads one value, remembering
results for the day because a register of many records reads the same values again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TypeVar, cast

from pydantic import TypeAdapter, ValidationError

from schemas.form import Record
from schemas.text import blank
from schemas.types import RawValue, Value

R = TypeVar("R", bound=Record)


def parse_value(form: type[Record], field_id: str, raw: RawValue) -> Value:
    """Read one raw value as its field's type; raises ValueError with a readable reason.

    The parsers are pure functions of the value (and of the day, for two-digit years), and
    every parsed type is immutable, so results are remembered for the day: a register of
    many records read again and again parses each distinct value once.
    """
    if type(raw) not in _MEMO_TYPES:
        return _parse(form, field_id, raw)
    _forget_on_new_day()
    key = (form, field_id, type(raw), raw)
    found = _MEMO.get(key)
    if found is None:
        try:
            found = _parse(form, field_id, raw)
        except ValueError as exc:
            found = _Unreadable(str(exc))
        _MEMO[key] = found
    if isinstance(found, _Unreadable):
        raise ValueError(found.reason)
    return found


def _parse(form: type[Record], field_id: str, raw: RawValue) -> Value:
    adapter = _adapter(form, field_id)
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        reasons = "; ".join(
            str(err.get("ctx", {}).get("error") or err["msg"]) for err in exc.errors()
        )
        raise ValueError(reasons.removeprefix("Value error, ")) from None


def _forget_on_new_day() -> None:
    """Empty the memo when the day has changed (checked once a minute) or it is full."""
    now = time.monotonic()
    if now >= _MEMO_DAY.next_check:
        today = date.today()
        if today != _MEMO_DAY.day:
            _MEMO.clear()
            _MEMO_DAY.day = today
        _MEMO_DAY.next_check = now + 60
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.clear()


@dataclass(frozen=True)
class _Unreadable:
    reason: str


class _MemoDay:
    day: date | None = None
    next_check = 0.0


_MEMO_TYPES = frozenset({str, int, float, bool, type(None)})
_MEMO_SIZE = 100_000
_MEMO: dict[tuple[type[Record], str, type, RawValue], Value | _Unreadable] = {}
_MEMO_DAY = _MemoDay()
_ADAPTERS: dict[tuple[type[Record], str], TypeAdapter[Value]] = {}


def _adapter(form: type[Record], field_id: str) -> TypeAdapter[Value]:
    key = (form, field_id)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = TypeAdapter(form.model_fields[field_id].annotation or str)
    return _ADAPTERS[key]


def read_record(record: type[R], raw: Mapping[str, RawValue]) -> tuple[R, dict[str, str]]:
    """Raw values validated into the record once, field by field, and why any could not be.

    A blank value is left out (``None``); a value that cannot be read is left out and its
    reason returned under its field id, so one bad cell never loses the rest of the form.
    """
    values: dict[str, Value] = {}
    problems: dict[str, str] = {}
    for field_id, found in raw.items():
        if blank(found):
            continue
        try:
            values[field_id] = parse_value(record, field_id, found)
        except ValueError as exc:
            problems[field_id] = str(exc)
    return _built(record, values), problems


def _built(record: type[R], values: dict[str, Value]) -> R:
    """The record of values each already validated by its field's type: built without
    validating again, every field given (the others empty) so none is looked up."""
    construct = cast(Callable[..., R], record.model_construct)
    return construct(set(values), **{**_empty(record), **values})


@cache
def _empty(record: type[Record]) -> dict[str, None]:
    return dict.fromkeys(record.model_fields)


def filled(record: Record) -> Iterator[tuple[str, Value]]:
    """The record's fields that hold a value, as (field id, value), in the form's order."""
    for field_id in type(record).model_fields:
        found = getattr(record, field_id)
        if found is not None:
            yield field_id, cast(Value, found)


def keeping(record: R, field_ids: Collection[str]) -> R:
    """The record with only the named fields' values (the rest emptied)."""
    return _built(type(record), {f: found for f, found in filled(record) if f in field_ids})
