"""Request-level rules: which request the documents make, what it lacks, and its own checks.

Each request type has one function of checks (``CHECKS``); the main form's dates are
checked for every type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.models import ExtractedDocument, Finding, RequestType
from pipeline.rules.base import RuleContext, finding, first, form_title
from pipeline.rules.capital import check_capital
from pipeline.rules.costs import check_amounts, check_provision_map
from pipeline.rules.dates import check_dates
from pipeline.rules.ehcp import check_ehcp
from pipeline.rules.project import check_project
from pipeline.rules.pupil import check_identity, check_pupil
from pipeline.rules.review import check_review
from schemas import MAIN_FORMS, DocumentKind, IpnReferral, main_form_kind, required_documents
from schemas.codes import RuleCode
from schemas.fieldref import field_ref

MIN_APDR_CYCLES = 2
APDR_CYCLES = field_ref(IpnReferral, lambda f: f.apdr_cycles)

Documents = Sequence[ExtractedDocument]
Checks = Callable[[ExtractedDocument | None, Documents, RuleContext], list[Finding]]


def request_type_of(documents: Documents) -> RequestType | None:
    kinds = {d.kind for d in documents}
    for request, form in MAIN_FORMS.items():
        if form.kind in kinds:
            return request
    return RequestType.ipn if DocumentKind.provision_map in kinds else None


def check_request(
    request: RequestType | None, documents: Documents, ctx: RuleContext
) -> list[Finding]:
    if request is None:
        return [finding(RuleCode.missing_document, "no_form")]
    findings = _missing_documents(request, documents)
    form = first(documents, main_form_kind(request))
    if form is not None:
        findings += check_dates(form, ctx)
    return findings + CHECKS[request](form, documents, ctx)


def _ipn(form: ExtractedDocument | None, documents: Documents, ctx: RuleContext) -> list[Finding]:
    findings = _pupil_request(form, documents, ctx)
    referral = form.form_as(IpnReferral) if form is not None else None
    cycles = referral.apdr_cycles if referral is not None else None
    if form is not None and cycles is not None and cycles < MIN_APDR_CYCLES:
        findings.append(
            finding(
                RuleCode.few_apdr_cycles,
                cycles=cycles,
                minimum=MIN_APDR_CYCLES,
                field=APDR_CYCLES.id,
                document=form.filename,
            )
        )
    return findings


def _ehcp(form: ExtractedDocument | None, documents: Documents, ctx: RuleContext) -> list[Finding]:
    own = check_ehcp(form) if form is not None else []
    return own + _pupil_request(form, documents, ctx)


def _pupil_request(
    form: ExtractedDocument | None, documents: Documents, ctx: RuleContext
) -> list[Finding]:
    """A pupil's form with its costed provision map: the pupil, the map, and the two agreeing."""
    pmap = first(documents, DocumentKind.provision_map)
    findings = check_pupil(form, ctx) if form is not None else []
    if pmap is not None:
        findings += [*check_provision_map(pmap), *check_dates(pmap, ctx)]
    if form is not None and pmap is not None:
        findings += check_amounts(form, pmap)
    return findings + check_identity([d for d in (form, pmap) if d is not None])


def _project(
    form: ExtractedDocument | None, documents: Documents, ctx: RuleContext
) -> list[Finding]:
    return check_project(form) if form is not None else []


def _capital(
    form: ExtractedDocument | None, documents: Documents, ctx: RuleContext
) -> list[Finding]:
    return check_capital([d for d in documents if d.kind is DocumentKind.capital_bid], ctx)


def _review(
    form: ExtractedDocument | None, documents: Documents, ctx: RuleContext
) -> list[Finding]:
    return check_review(form) if form is not None else []


CHECKS: dict[RequestType, Checks] = {
    RequestType.ipn: _ipn,
    RequestType.ehcp_exceptional: _ehcp,
    RequestType.project: _project,
    RequestType.capital: _capital,
    RequestType.review: _review,
}


def _missing_documents(request: RequestType, documents: Documents) -> list[Finding]:
    kinds = {d.kind for d in documents}
    return [
        finding(RuleCode.missing_document, title=form_title(kind))
        for kind in required_documents(request)
        if kind not in kinds
    ]
