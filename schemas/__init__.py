"""The cluster's form schemas: the single source of field ids, labels, types and requiredness."""

from schemas.form import FieldSpec, Form, normalise_label, parse_value, specs
from schemas.ipn_referral import IpnReferral
from schemas.provision_map import CostedLine, ProvisionLine, ProvisionMap

FORMS: dict[str, type[Form]] = {form.kind: form for form in (IpnReferral, ProvisionMap)}

__all__ = [
    "FORMS",
    "CostedLine",
    "FieldSpec",
    "Form",
    "IpnReferral",
    "ProvisionLine",
    "ProvisionMap",
    "normalise_label",
    "parse_value",
    "specs",
]
