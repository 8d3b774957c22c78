"""Exceptional needs funding rules (SPEC 4.4): only for a pupil with an existing EHC plan.

The pupil checks (UPN, age, year group), the provision map's totals, the amount agreeing with
the map and the pupil's identity across documents are the IPN's, run by the request rules.
"""

from __future__ import annotations

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title, label_of
from schemas import DocumentKind, EhcpExceptional
from schemas.codes import RuleCode
from schemas.ehcp_exceptional import EHC_PLAN


def check_ehcp(form: ExtractedDocument) -> list[Finding]:
    request = form.form_as(EhcpExceptional)
    status = request.sen_status if request else None
    if status is None or status == EHC_PLAN:
        return []
    return [
        finding(
            RuleCode.invalid_value,
            f"'{label_of(form.kind, 'sen_status')}' on the {form_title(form.kind)} is "
            f"'{status}', but exceptional needs funding is only for a pupil with an existing "
            f"{EHC_PLAN}. For a pupil without one, please send an "
            f"{form_title(DocumentKind.ipn_referral)} instead.",
            field="sen_status",
            document=form.filename,
        )
    ]
