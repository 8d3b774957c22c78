"""Request-level rules: which request the documents make, and what it still lacks."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.models import ExtractedDocument, Finding, RequestType
from pipeline.rules.base import RuleContext, finding, first, form_title, value
from pipeline.rules.costs import check_amounts, check_provision_map
from pipeline.rules.dates import check_dates
from pipeline.rules.pupil import check_identity, check_pupil

MAIN_FORM = {
    RequestType.ipn: "ipn_referral",
    RequestType.ehcp_exceptional: "ehcp_exceptional",
    RequestType.project: "project_referral",
    RequestType.capital: "capital_bid",
    RequestType.review: "funding_review",
}
REQUIRED = {
    RequestType.ipn: ("ipn_referral", "provision_map"),
    RequestType.ehcp_exceptional: ("ehcp_exceptional", "provision_map"),
    RequestType.project: ("project_referral",),
    RequestType.capital: ("capital_bid",),
    RequestType.review: ("funding_review",),
}
MIN_APDR_CYCLES = 2


def request_type_of(documents: Sequence[ExtractedDocument]) -> RequestType | None:
    kinds = {d.kind for d in documents}
    for request, kind in MAIN_FORM.items():
        if kind in kinds:
            return request
    return RequestType.ipn if "provision_map" in kinds else None


def check_request(
    request: RequestType | None, documents: Sequence[ExtractedDocument], ctx: RuleContext
) -> list[Finding]:
    if request is None:
        return [
            finding(
                "missing_document",
                "No cluster referral form was found in this email. "
                "Please attach the completed referral form (Word or PDF).",
            )
        ]
    findings = _missing_documents(request, documents)
    form = first(documents, MAIN_FORM[request])
    pmap = first(documents, "provision_map")
    if form is not None:
        findings += [*check_pupil(form, ctx), *check_dates(form, ctx)]
        if value(form, "apdr_cycles") is not None and value(form, "apdr_cycles") < MIN_APDR_CYCLES:
            findings.append(
                finding(
                    "few_apdr_cycles",
                    f"The form records {value(form, 'apdr_cycles')} completed "
                    "assess, plan, do, review cycle(s); the panel usually expects at least "
                    f"{MIN_APDR_CYCLES} before cluster funding.",
                    field="apdr_cycles",
                    document=form.filename,
                )
            )
    if pmap is not None:
        findings += check_provision_map(pmap)
        findings += check_dates(pmap, ctx)
    if form is not None and pmap is not None:
        findings += check_amounts(form, pmap)
    findings += check_identity([d for d in (form, pmap) if d is not None])
    return findings


def _missing_documents(
    request: RequestType, documents: Sequence[ExtractedDocument]
) -> list[Finding]:
    kinds = {d.kind for d in documents}
    return [
        finding(
            "missing_document",
            f"The {form_title(kind)} is missing: this request needs "
            f"it. Please send it, quoting the case reference.",
            field=None,
            document=None,
        )
        for kind in REQUIRED[request]
        if kind not in kinds
    ]
