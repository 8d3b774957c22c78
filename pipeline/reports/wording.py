"""Plain English for the admin: request types, document kinds, severities, statuses and values.

Both the HTML report and the tracker read their words from here, so a submission is described
the same way everywhere. Field labels come from the form schemas (``schemas.FORMS``), never from
a list repeated here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from pipeline.models import RequestType, Severity, Status
from schemas import FORMS, DocumentKind, Form, ProvisionLine, Record, document_title, specs
from schemas.money import pounds
from schemas.types import Kind, Value

UK_TIME = ZoneInfo("Europe/London")
NOT_GIVEN = "Not given"

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.error, Severity.warning, Severity.info)
SEVERITY_HEADINGS: dict[Severity, str] = {
    Severity.error: "Must fix before panel",
    Severity.warning: "Panel should know",
    Severity.info: "For information",
}
SEVERITY_NAMES: dict[Severity, str] = {
    Severity.error: "Error",
    Severity.warning: "Warning",
    Severity.info: "Information",
}

STATUS_NAMES: dict[Status, str] = {
    Status.complete: "Complete",
    Status.incomplete: "Incomplete",
    Status.quarantined: "Quarantined",
}
STATUS_MEANINGS: dict[Status, str] = {
    Status.complete: "Nothing stops this going to panel.",
    Status.incomplete: "The school must fix the errors below before this can go to panel.",
    Status.quarantined: (
        "Kept but not processed (for example, the sender is not a cluster address). "
        "Check it before anyone opens the attachments."
    ),
}


def request_type(value: RequestType | None) -> str:
    return value.described if value is not None else "Not known"


def document_kind(kind: str) -> str:
    return document_title(kind)


# --- field labels and kinds, from the schemas ---------------------------------------------------


def _form_of(document_kind_id: str | None) -> type[Form] | None:
    if document_kind_id is None or document_kind_id not in FORMS:
        return None
    return FORMS[DocumentKind(document_kind_id)]


def field_label(document_kind_id: str | None, field_id: str) -> str:
    """The label printed on the form beside the field, or the id in words if no schema has it."""
    forms: tuple[type[Record] | None, ...] = (_form_of(document_kind_id), *FORMS.values())
    for form in (*forms, ProvisionLine):
        spec = next((s for s in specs(form) if s.id == field_id), None) if form else None
        if spec is not None:
            return spec.label
    return field_id.replace("_", " ").capitalize()


def line_label(field_id: str) -> str:
    """The column header of a provision line's field."""
    spec = next((s for s in specs(ProvisionLine) if s.id == field_id), None)
    return spec.label if spec else field_id.replace("_", " ").capitalize()


def field_kind(form: type[Record] | None, field_id: str) -> Kind | None:
    if form is None:
        return None
    return next((s.kind for s in specs(form) if s.id == field_id), None)


def field_order(form: type[Record] | None, field_ids: list[str]) -> list[str]:
    """The fields in the order the form prints them; fields no schema knows come last."""
    if form is None:
        return field_ids
    printed = [s.id for s in specs(form) if s.id in field_ids]
    return printed + [f for f in field_ids if f not in printed]


# --- values -------------------------------------------------------------------------------------


def uk_time(moment: datetime) -> datetime:
    """A moment as the clock in Stoke-on-Trent showed it (naive times are taken as already so)."""
    return moment.astimezone(UK_TIME) if moment.tzinfo is not None else moment


def format_date(value: date | None) -> str:
    """3 September 2015."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, datetime):
        value = uk_time(value).date()
    return f"{value.day} {value:%B %Y}"


def format_moment(value: datetime) -> str:
    """3 September 2015 at 14:05, UK time."""
    local = uk_time(value)
    return f"{format_date(local.date())} at {local:%H:%M}"


def format_money(value: Decimal) -> str:
    """£1,234.50 (and -£20.00 for a negative amount)."""
    return pounds(value)


def format_yesno(value: bool) -> str:
    return "Yes" if value else "No"


def format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def format_value(value: Value | None, kind: Kind | None = None) -> str:
    """A typed field value as the admin reads it; the schema's kind decides money and percent."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool):
        return format_yesno(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int | float | Decimal):
        if kind is Kind.money:
            return format_money(value if isinstance(value, Decimal) else Decimal(str(value)))
        if kind is Kind.percent:
            return f"{format_number(float(value))}%"
        return format_number(float(value))
    if isinstance(value, tuple):
        return "; ".join(format_value(item) for item in value)
    return str(value)
