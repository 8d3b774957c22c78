"""The catalogue: every form, what each request needs, and what each document kind is called.

Each form declares its own kind, titles, request type, companions and sections (in its module);
this gathers them, so the rest of the pipeline asks here rather than keeping a list of its own.
"""

from __future__ import annotations

from schemas.capital_bid import CapitalBid
from schemas.ehcp_exceptional import EhcpExceptional
from schemas.form import Form
from schemas.funding_review import FundingReview
from schemas.ipn_referral import IpnReferral
from schemas.kinds import OTHER_TITLES, DocumentKind, RequestType
from schemas.project_referral import CostLine, ProjectReferral
from schemas.provision_map import ProvisionLine, ProvisionMap

# The typed values of a document, whichever form it is; a rule narrows it with isinstance.
AnyForm = (
    IpnReferral | ProvisionMap | ProjectReferral | EhcpExceptional | CapitalBid | FundingReview
)
AnyLine = ProvisionLine | CostLine
PupilForm = IpnReferral | EhcpExceptional

FORMS: dict[DocumentKind, type[AnyForm]] = {
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
LINES: dict[DocumentKind, type[AnyLine]] = {
    DocumentKind.provision_map: ProvisionLine,
    DocumentKind.project_referral: CostLine,
}
# Each request's main form, in the order a set of documents is tested for them.
MAIN_FORMS: dict[RequestType, type[Form]] = {
    form.request_type: form
    for form in (IpnReferral, EhcpExceptional, ProjectReferral, CapitalBid, FundingReview)
    if form.request_type is not None
}


def main_form_kind(request: RequestType) -> DocumentKind:
    return MAIN_FORMS[request].kind


def is_main_form(kind: str) -> bool:
    return any(form.kind == kind for form in MAIN_FORMS.values())


def required_documents(request: RequestType) -> tuple[DocumentKind, ...]:
    """The main form and its companions: what a request is incomplete without."""
    form = MAIN_FORMS[request]
    return (form.kind, *form.companions)


def document_title(kind: str) -> str:
    """The form's printed title, or what a document that is no form is called."""
    if kind in FORMS:
        return FORMS[DocumentKind(kind)].title
    if kind in OTHER_TITLES:
        return OTHER_TITLES[DocumentKind(kind)]
    return kind.replace("_", " ").capitalize()
