"""The machinery every form schema shares: a field's label, alternatives and requiredness.

A form is a frozen pydantic model whose attributes are the SPEC's field ids. Each attribute is
declared with :func:`field`, which records the printed label and its alternatives; the type
annotation (a type from :mod:`schemas.types`) says how the value is read. :func:`specs` turns a
form class into the list of :class:`FieldSpec` that extraction, validation and reports read.
"""

from __future__ import annotations

import re
import time
import types
import typing
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.types import (
    IMPROVEMENT_TYPES,
    NEED_AREAS,
    REVIEW_RECOMMENDATIONS,
    SEN_STATUSES,
    YEAR_GROUPS,
    Kind,
)

Section = tuple[str, tuple[str, ...]]

_CHOICES_BY_FIRST = {
    choices[0]: choices
    for choices in (
        YEAR_GROUPS,
        SEN_STATUSES,
        NEED_AREAS,
        REVIEW_RECOMMENDATIONS,
        IMPROVEMENT_TYPES,
    )
}


class FieldSpec(BaseModel):
    """One field of a form, as the SPEC lists it."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    alternatives: tuple[str, ...] = ()
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alternatives)


class Form(BaseModel):
    """Base of every form schema: frozen, and every field optional until validation says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ClassVar[str]
    title: ClassVar[str]
    title_alternatives: ClassVar[tuple[str, ...]] = ()
    # The form's printed headings and the fields under each, in order.
    sections: ClassVar[tuple[Section, ...]] = ()


def field(label: str, *alternatives: str, required: bool = True) -> Any:
    """Declare a form field by the words printed beside its box."""
    return Field(
        default=None,
        json_schema_extra={
            "label": label,
            "alternatives": list(alternatives),
            "required": required,
        },
    )


def specs(form: type[Form]) -> tuple[FieldSpec, ...]:
    """The field specs of a form class, in the order the form prints them."""
    if form not in _SPEC_CACHE:
        _SPEC_CACHE[form] = tuple(_spec(name, form) for name in form.model_fields)
    return _SPEC_CACHE[form]


_SPEC_CACHE: dict[type[Form], tuple[FieldSpec, ...]] = {}


def _spec(name: str, form: type[Form]) -> FieldSpec:
    info = form.model_fields[name]
    extra = info.json_schema_extra
    if not isinstance(extra, dict):
        raise TypeError(f"{form.__name__}.{name} must be declared with field()")
    kind, choices = _kind_of(info.annotation)
    alternatives = extra.get("alternatives") or []
    return FieldSpec(
        id=name,
        label=str(extra["label"]),
        alternatives=tuple(str(a) for a in alternatives) if isinstance(alternatives, list) else (),
        kind=kind,
        required=bool(extra.get("required", True)),
        choices=choices,
    )


def _kind_of(annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    """Find the Kind marker inside ``Annotated[...] | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    metadata = getattr(annotation, "__metadata__", ())
    kind = next(m for m in metadata if isinstance(m, Kind))
    choices: tuple[str, ...] = ()
    if kind in (Kind.choice, Kind.list):
        choices = _probe_choices(annotation)
    return kind, choices


def _probe_choices(annotation: Any) -> tuple[str, ...]:
    """The allowed values of a choice type, found by asking its validator about a bad value."""
    try:
        TypeAdapter(annotation).validate_python("\x00")
    except Exception as exc:
        listed = re.search(r"one of: (.*?)(?: \[|$)", str(exc))
        if listed:
            first = listed.group(1).split("; ")[0]
            return _CHOICES_BY_FIRST.get(first, tuple(listed.group(1).split("; ")))
    return ()


def parse_value(form: type[Form], field_id: str, raw: Any) -> Any:
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
            found = (True, _parse(form, field_id, raw))
        except ValueError as exc:
            found = (False, str(exc))
        _MEMO[key] = found
    parsed, result = found
    if not parsed:
        raise ValueError(result)
    return result


def _parse(form: type[Form], field_id: str, raw: Any) -> Any:
    adapter = _adapter(form, field_id)
    from pydantic import ValidationError

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


class _MemoDay:
    day: date | None = None
    next_check = 0.0


_MEMO_TYPES = frozenset({str, int, float, bool, type(None)})
_MEMO_SIZE = 100_000
_MEMO: dict[tuple[type[Form], str, type, Any], tuple[bool, Any]] = {}
_MEMO_DAY = _MemoDay()
_ADAPTERS: dict[tuple[type[Form], str], TypeAdapter[Any]] = {}


def _adapter(form: type[Form], field_id: str) -> TypeAdapter[Any]:
    key = (form, field_id)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = TypeAdapter(form.model_fields[field_id].annotation or str)
    return _ADAPTERS[key]


@lru_cache(maxsize=65_536)  # the same cell texts are compared with every form's labels
def normalise_label(text: str) -> str:
    """Labels compare without case, punctuation, extra spaces, a trailing '*' or '(required)'."""
    text = text.lower().replace("&", " and ")
    text = _REQUIRED_MARK.sub(" ", text)
    text = _NOT_LABEL_CHARACTERS.sub(" ", text)
    return text.strip()


_REQUIRED_MARK = re.compile(r"\(\s*required\s*\)|\*")
_NOT_LABEL_CHARACTERS = re.compile(r"[^a-z0-9£%]+")
