"""Plain English for the admin: request types, document kinds, severities, statuses and values.

Both the HTML report and the tracker read their words from here, so a submission is described
the same way everywhere. Field labels come from the form schemas (``schemas.FORMS``), never from
a list repeated here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.models import RequestType, Severity, Status
from schemas import FORMS, Form, ProvisionLine, specs
from schemas.types import Kind

UK_TIME = ZoneInfo("Europe/London")
NOT_GIVEN = "Not given"

REQUEST_TYPES: dict[RequestType, str] = {
    RequestType.ipn: "Individual Pupil Need",
    RequestType.project: "Project-Based Work",
    RequestType.ehcp_exceptional: "Exceptional needs funding (EHC plan)",
    RequestType.capital: "Inclusive Environments Capital Fund bid",
    RequestType.review: "Review of allocated funding",
}

# Titles of forms whose schema is not (yet) in schemas.FORMS; a schema's own title wins.
_KIND_TITLES: dict[str, str] = {
    "ipn_referral": "Individual Pupil Need Referral Form",
    "provision_map": "Costed Provision Map",
    "project_referral": "Project-Based Work Referral Form",
    "ehcp_exceptional": "Exceptional Needs Funding Request",
    "capital_bid": "Inclusive Environments Capital Fund Application",
    "funding_review": "Cluster Funding Review",
    "supporting": "Supporting document",
    "quarantined": "Quarantined attachment (not opened)",
    "blocked": "Blocked file (macro-enabled or executable; not opened)",
    "unreadable": "Unreadable file",
    "archive": "Archive (zip or similar; not opened)",
    "container": "Email or Outlook envelope (its documents are listed on their own)",
}

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
    return REQUEST_TYPES[value] if value is not None else "Not known"


def document_kind(kind: str) -> str:
    form = FORMS.get(kind)
    if form is not None:
        return form.title
    return _KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())


# --- field labels and kinds, from the schemas ---------------------------------------------------


def _form_of(document_kind_id: str | None) -> type[Form] | None:
    return FORMS.get(document_kind_id) if document_kind_id else None


def field_label(document_kind_id: str | None, field_id: str) -> str:
    """The label printed on the form beside the field, or the id in words if no schema has it."""
    for form in (_form_of(document_kind_id), *FORMS.values(), ProvisionLine):
        spec = next((s for s in specs(form) if s.id == field_id), None) if form else None
        if spec is not None:
            return spec.label
    return field_id.replace("_", " ").capitalize()


def line_label(field_id: str) -> str:
    """The column header of a provision line's field."""
    spec = next((s for s in specs(ProvisionLine) if s.id == field_id), None)
    return spec.label if spec else field_id.replace("_", " ").capitalize()


def field_kind(form: type[Form] | None, field_id: str) -> Kind | None:
    if form is None:
        return None
    return next((s.kind for s in specs(form) if s.id == field_id), None)


def field_order(form: type[Form] | None, field_ids: list[str]) -> list[str]:
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


def format_money(value: float) -> str:
    """£1,234.50 (and -£20.00 for a negative amount)."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def format_yesno(value: bool) -> str:
    return "Yes" if value else "No"


def format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def format_value(value: Any, kind: Kind | None = None) -> str:
    """A typed field value as the admin reads it; the schema's kind decides money and percent."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, bool):
        return format_yesno(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int | float):
        if kind is Kind.money:
            return format_money(float(value))
        if kind is Kind.percent:
            return f"{format_number(float(value))}%"
        return format_number(float(value))
    if isinstance(value, list | tuple):
        return "; ".join(format_value(item) for item in value)
    return str(value)
