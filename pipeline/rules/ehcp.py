"""Exceptional needs funding rules (SPEC 4.4): only for a pupil with an existing EHC plan.

The pupil checks (UPN, age, year group), the provision map's totals, the amount agreeing with
the map and the pupil's identity across documents are the IPN's, run by the request rules.
"""

from __future__ import annotations

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title
from schemas import DocumentKind, EhcpExceptional
from schemas.codes import RuleCode
from schemas.ehcp_exceptional import EHC_PLAN
from schemas.fieldref import field_ref

SEN_STATUS = field_ref(EhcpExceptional, lambda f: f.sen_status)


def check_ehcp(form: ExtractedDocument) -> list[Finding]:
    status = SEN_STATUS.of(form.form)
    if status is None or status == EHC_PLAN:
        return []
    return [
        finding(
            RuleCode.invalid_value,
            "not_an_ehc_plan",
            label=SEN_STATUS.label,
            title=form_title(form.kind),
            status=status,
            plan=EHC_PLAN,
            ipn_title=form_title(DocumentKind.ipn_referral),
            field=SEN_STATUS.id,
            document=form.filename,
        )
    ]
