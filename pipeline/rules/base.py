"""What every rule sees, and how a finding is made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from pipeline.config import Config
from pipeline.models import ExtractedDocument, Finding
from schemas import FORMS, DocumentKind, Form, RuleCode

F = TypeVar("F", bound=Form)


@dataclass(frozen=True)
class EarlierBid:
    """A capital bid received before this one in the same round (from the register)."""

    setting: str
    project_title: str
    amount: Decimal
    sha256: str = ""


@dataclass(frozen=True)
class RuleContext:
    config: Config
    received: date
    # The round's earlier capital bids, oldest first; filled by the flow from the register
    # (pipeline.rules.capital.earlier_bids). Empty: only this email's bids are counted.
    capital_bids_before: tuple[EarlierBid, ...] = ()


def finding(
    code: RuleCode,
    variant: str = "",
    *,
    field: str | None = None,
    document: str | None = None,
    **particulars: object,
) -> Finding:
    """A finding of ``code``: its severity and its sentence for the school (the ``variant``
    named, with the particulars filled in) are the catalogue's."""
    return Finding(
        code=code,
        severity=code.severity,
        field=field,
        document=document,
        message=code.sentence(variant, **particulars),
    )


def form_title(kind: DocumentKind) -> str:
    form = FORMS.get(kind)
    return form.title if form else "document"


def first(documents: Sequence[ExtractedDocument], kind: DocumentKind) -> ExtractedDocument | None:
    return next((d for d in documents if d.kind == kind), None)


def form_in(documents: Sequence[ExtractedDocument], form: type[F]) -> F | None:
    """The values of the first document that is a ``form``."""
    return next((f for d in documents if (f := d.form_as(form)) is not None), None)


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")
