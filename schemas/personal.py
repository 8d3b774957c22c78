"""Which fields are personal data, declared once beside the forms that define them.

The panel edition never prints the identifying fields, a reply to a school withholds the
pupil's identity, and retention keeps only the retained fields of an expired case. Each set
is checked against the forms when this module is imported, so a misspelt or renamed field
fails at once instead of silently matching nothing (and leaking what it should have hidden).
"""

from __future__ import annotations

from schemas.catalogue import FORMS, LINES

# The pupil as a school names them: withheld from replies, which may be forwarded.
PUPIL_IDENTITY = frozenset(
    {"pupil_name", "pupil_forename", "pupil_surname", "date_of_birth", "upn"}
)
# Who the pupil is and who their family are: never in the panel edition.
IDENTIFYING = PUPIL_IDENTITY | {"parent_name"}
# Contact details of the family, whatever the form calls the field.
IDENTIFYING_WORDS = ("address", "postcode", "home_phone", "parent_email", "parent_phone")
# What an expired case keeps for the cluster's totals: nothing that identifies anyone.
RETAINED = frozenset(
    {
        "setting_name",
        "amount_requested",
        "total_cost",
        "year_group",
        "sen_status",
        "primary_need",
        "project_title",
    }
)


def identifying(field_id: str) -> bool:
    return field_id in IDENTIFYING or any(word in field_id for word in IDENTIFYING_WORDS)


def _unknown(ids: frozenset[str]) -> set[str]:
    fields = {f for form in (*FORMS.values(), *LINES.values()) for f in form.model_fields}
    return set(ids) - fields


for _name, _ids in (("IDENTIFYING", IDENTIFYING), ("RETAINED", RETAINED)):
    if _unknown(_ids):
        raise ImportError(f"schemas.personal.{_name} names no form's field: {_unknown(_ids)}")
    if _ids is RETAINED and any(identifying(f) for f in _ids):
        raise ImportError("schemas.personal.RETAINED keeps an identifying field")
