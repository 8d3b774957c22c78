"""The cluster's form schemas: the single source of field ids, labels, types and requiredness."""

from schemas.capital_bid import CapitalBid
from schemas.ehcp_exceptional import EhcpExceptional
from schemas.form import FieldSpec, Form, normalise_label, parse_value, specs
from schemas.funding_review import FundingReview
from schemas.ipn_referral import IpnReferral
from schemas.project_referral import CostLine, ProjectReferral
from schemas.provision_map import CostedLine, ProvisionLine, ProvisionMap

FORMS: dict[str, type[Form]] = {
    form.kind: form
    for form in (
        IpnReferral,
        ProvisionMap,
        ProjectReferral,
        EhcpExceptional,
        CapitalBid,
        FundingReview,
    )
}

__all__ = [
    "FORMS",
    "CapitalBid",
    "CostLine",
    "CostedLine",
    "EhcpExceptional",
    "FieldSpec",
    "Form",
    "FundingReview",
    "IpnReferral",
    "ProjectReferral",
    "ProvisionLine",
    "ProvisionMap",
    "normalise_label",
    "parse_value",
    "specs",
]
