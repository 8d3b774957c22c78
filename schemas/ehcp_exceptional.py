"""SPEC 4.4: the Exceptional Needs Funding Request for a pupil with an existing EHC plan."""

from __future__ import annotations

from schemas.form import field
from schemas.ipn_referral import PUPIL_BLOCK, PupilAndSetting
from schemas.kinds import DocumentKind, RequestType
from schemas.types import LongText, Money, Text, UKDate

EHC_PLAN = "EHC plan"


class EhcpExceptional(PupilAndSetting):
    """The pupil and setting block of the IPN form, then the plan and the money asked for.

    ``sen_status`` must be EHC plan: the rules report any other status as invalid_value.
    """

    kind = DocumentKind.ehcp_exceptional
    title = "Exceptional Needs Funding Request"
    title_alternatives = (
        "Exceptional Needs Funding Request Form",
        "EHC Plan Exceptional Needs Funding Request",
        "Exceptional needs funding for an existing EHC plan",
    )
    request_type = RequestType.ehcp_exceptional
    companions = (DocumentKind.provision_map,)
    sections = (
        ("Section 1: School/setting details", PUPIL_BLOCK[:5]),
        ("Section 2: Child or young person", PUPIL_BLOCK[5:]),
        (
            "Section 3: The EHC plan and the request",
            ("ehcp_date", "section_f_provision", "current_topup", "amount_requested", "reason"),
        ),
        ("Section 4: Declaration", ("headteacher_signature", "declaration_date")),
    )

    ehcp_date: UKDate | None = field("Date of current EHC plan", "Date of EHC plan", "EHCP date")
    section_f_provision: LongText | None = field(
        "Section F provision not currently funded", "Section F provision"
    )
    current_topup: Money | None = field(
        "Current top-up funding (£ per year)", "Current top-up funding", "Current top-up"
    )
    amount_requested: Money | None = field(
        "Additional amount requested (£)", "Additional amount requested", "Amount requested"
    )
    reason: LongText | None = field("Reason for the request", "Reason for request")
    headteacher_signature: Text | None = field("Headteacher signature", "Signature")
    declaration_date: UKDate | None = field("Date of declaration", "Declaration date")
