"""The machinery every form schema shares: a field's label, alternatives and requiredness.

A form is a frozen pydantic model whose attributes are the SPEC's field ids. Each attribute is
declared with :func:`field`, which records the printed label and its alternatives; the type
annotation (a type from :mod:`schemas.types`) says how the value is read. :func:`specs` turns a
form class into the list of :class:`FieldSpec` that extraction, validation and reports read.
"""

from __future__ import annotations

import re
import types
import typing
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from schemas.kinds import DocumentKind, RequestType
from schemas.types import Choices, Kind

Section = tuple[str, tuple[str, ...]]


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


class Record(BaseModel):
    """Fields read from a document, each declared with :func:`field`: a form or a table's row.

    Frozen, and every field optional: a value that is missing or could not be read is
    ``None`` here, and the rules say whether that matters.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: ClassVar[str]

    @model_serializer(mode="wrap")
    def _filled_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Stored with the fields that hold a value only: most of a form is often empty."""
        dumped: dict[str, object] = handler(self)
        return {field_id: value for field_id, value in dumped.items() if value is not None}


class Form(Record):
    """A form of the catalogue: its kind, titles, the request it makes and what comes with it.

    ``request_type`` is set on a request's main form; ``companions`` are the other documents
    that request needs; ``sections`` are the form's printed headings and their fields;
    ``line`` is the record of one row of the form's table of lines, if it has one.
    """

    kind: ClassVar[DocumentKind]
    title_alternatives: ClassVar[tuple[str, ...]] = ()
    request_type: ClassVar[RequestType | None] = None
    companions: ClassVar[tuple[DocumentKind, ...]] = ()
    sections: ClassVar[tuple[Section, ...]] = ()
    line: ClassVar[type[Record] | None] = None


def field(label: str, *alternatives: str, required: bool = True) -> Any:
    """Declare a form field by the words printed beside its box.

    Typed ``Any`` as pydantic's ``Field`` is, so that ``upn: Upn | None = field(...)`` keeps
    the annotation's type: this is the declaration, not a value (values are typed by it).
    """
    return Field(
        default=None,
        json_schema_extra={
            "label": label,
            "alternatives": list(alternatives),
            "required": required,
        },
    )


def specs(form: type[Record]) -> tuple[FieldSpec, ...]:
    """The field specs of a form class, in the order the form prints them."""
    if form not in _SPEC_CACHE:
        _SPEC_CACHE[form] = tuple(_spec(name, form) for name in form.model_fields)
    return _SPEC_CACHE[form]


_SPEC_CACHE: dict[type[Record], tuple[FieldSpec, ...]] = {}


def _spec(name: str, form: type[Record]) -> FieldSpec:
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


def _kind_of(annotation: object) -> tuple[Kind, tuple[str, ...]]:
    """Find the Kind and Choices markers inside ``Annotated[...] | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    metadata = getattr(annotation, "__metadata__", ())
    kind = next(m for m in metadata if isinstance(m, Kind))
    choices = next((m.options for m in metadata if isinstance(m, Choices)), ())
    return kind, choices


@lru_cache(maxsize=65_536)  # the same cell texts are compared with every form's labels
def normalise_label(text: str) -> str:
    """Labels compare without case, punctuation, extra spaces, a trailing '*' or '(required)';
    an abbreviation written with dots (D.O.B., U.P.N.) is the same as without them."""
    text = text.lower().replace("&", " and ")
    text = _INITIALISM.sub(lambda m: re.sub(r"[^a-z]", "", m.group()), text)
    text = _REQUIRED_MARK.sub(" ", text)
    text = _NOT_LABEL_CHARACTERS.sub(" ", text)
    return text.strip()


_INITIALISM = re.compile(r"\b[a-z](?:\s*\.\s*[a-z]\b)+\.?")
_REQUIRED_MARK = re.compile(r"\(\s*required\s*\)|\*")
_NOT_LABEL_CHARACTERS = re.compile(r"[^a-z0-9£%]+")
