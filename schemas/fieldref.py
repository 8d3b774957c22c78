"""A typed reference to one field of one form, for code outside the schemas that must name a
field (the rule that reports it, the label it quotes) rather than only read its value.

A reference is made from an attribute read, ``field_ref(EhcpExceptional, lambda f:
f.sen_status)``, so mypy checks the field's name and its value's type; the name is learnt
once, when the module making it is imported, by reading the attribute from a stand-in that
answers with the name asked for (anything but one plain attribute read fails the import).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from schemas.form import Record, specs

R = TypeVar("R", bound=Record)
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class FieldRef(Generic[T_co]):
    """``form``'s field ``id``; ``of`` reads its value from a record of that form."""

    form: type[Record]
    id: str
    _read: Callable[[Record], T_co | None]

    @property
    def label(self) -> str:
        """The words printed beside the field's box on the form."""
        return next(s.label for s in specs(self.form) if s.id == self.id)

    def of(self, record: Record | None) -> T_co | None:
        """The field's value in ``record``; None when it is empty or not this form."""
        return self._read(record) if isinstance(record, self.form) else None


def field_ref(form: type[R], read: Callable[[R], T | None]) -> FieldRef[T]:
    """The reference to the one field of ``form`` that ``read`` reads."""
    name = read(cast(R, _Named()))
    if not isinstance(name, str) or name not in form.model_fields:
        raise TypeError(f"field_ref({form.__name__}, ...) must read one field of the form")
    return FieldRef(form, name, lambda record: read(cast(R, record)))


class _Named:
    """Answers an attribute read with the attribute's name."""

    def __getattr__(self, name: str) -> str:
        return name
