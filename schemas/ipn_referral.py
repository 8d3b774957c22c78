"""SPEC 4.1: the Individual Pupil Need Referral Form."""

from __future__ import annotations

from schemas.form import Form, field
from schemas.kinds import DocumentKind, RequestType
from schemas.types import (
    Email,
    Int,
    LongText,
    Money,
    NeedArea,
    Percent,
    SenStatus,
    Text,
    UKDate,
    YearGroup,
    YesNo,
)


class PupilAndSetting(Form):
    """The setting and pupil block shared by the IPN and exceptional-needs forms."""

    setting_name: Text | None = field(
        "Name of school/setting", "School", "Setting", "Name of school"
    )
    senco_name: Text | None = field("SENCo name", "SENCo / inclusion lead", "Inclusion lead")
    senco_email: Email | None = field("SENCo email", "SENCo email address")
    senco_phone: Text | None = field("SENCo telephone", "SENCo phone", required=False)
    headteacher_name: Text | None = field("Headteacher name", "Headteacher", "Principal")
    pupil_forename: Text | None = field("Forename", "Child's forename", "First name")
    pupil_surname: Text | None = field("Surname", "Child's surname", "Last name")
    date_of_birth: UKDate | None = field("Date of birth", "DOB")
    upn: Text | None = field("UPN", "Unique Pupil Number", "ULN", "UPN/ULN")
    year_group: YearGroup | None = field("Year group", "National Curriculum year", "NC year")
    sen_status: SenStatus | None = field("Current SEN status", "SEN status")
    primary_need: NeedArea | None = field("Primary area of need")
    secondary_need: NeedArea | None = field("Secondary area of need", required=False)


# The fields of the setting and pupil block, in printed order: the first five are the setting's.
PUPIL_BLOCK = tuple(PupilAndSetting.model_fields)


class IpnReferral(PupilAndSetting):
    kind = DocumentKind.ipn_referral
    title = "Individual Pupil Need Referral Form"
    title_alternatives = ("Individual Pupil Need Referral", "IPN Referral Form")
    request_type = RequestType.ipn
    companions = (DocumentKind.provision_map,)
    sections = (
        ("Section 1: School/setting details", PUPIL_BLOCK[:5]),
        ("Section 2: Child or young person", PUPIL_BLOCK[5:]),
        (
            "Section 3: Attendance and inclusion",
            ("looked_after", "attendance_percent", "suspensions_this_year", "at_risk_of_exclusion"),
        ),
        (
            "Section 4: Family voice and professionals",
            (
                "professionals_involved",
                "preferred_name",
                "home_address",
                "parent_name",
                "parent_phone",
                "parent_email",
                "parent_consent",
                "consent_date",
                "parent_views",
                "child_views",
            ),
        ),
        (
            "Section 5: Needs, support and outcomes",
            ("needs_summary", "apdr_cycles", "support_in_place", "outcomes_sought", "funding_use"),
        ),
        ("Section 6: Funding requested", ("amount_requested", "funding_start", "funding_end")),
        ("Section 7: Declaration", ("headteacher_signature", "declaration_date")),
    )

    looked_after: YesNo | None = field("Child looked after (CLA)", "Child looked after", "CLA")
    attendance_percent: Percent | None = field(
        "Attendance this academic year (%)", "Attendance this academic year", "Attendance"
    )
    suspensions_this_year: Int | None = field(
        "Number of suspensions this academic year", "Suspensions this academic year"
    )
    at_risk_of_exclusion: YesNo | None = field("At risk of permanent exclusion")
    professionals_involved: LongText | None = field("Professionals involved", required=False)
    parent_name: Text | None = field("Parent/carer name", "Parent name")
    # Who the family are and where they live: read so the panel edition can remove them.
    preferred_name: Text | None = field("Preferred name", "Known as", required=False)
    home_address: Text | None = field("Home address", "Pupil's home address", required=False)
    parent_phone: Text | None = field(
        "Parent/carer telephone", "Parent/carer phone", required=False
    )
    parent_email: Email | None = field("Parent/carer email", required=False)
    parent_consent: YesNo | None = field(
        "Parent/carer consent to referral and information sharing", "Parent/carer consent"
    )
    consent_date: UKDate | None = field("Date consent given", "Consent date")
    parent_views: LongText | None = field("Parent/carer views", "Views of parent/carer")
    child_views: LongText | None = field(
        "Views of the child or young person", "Child's views", "Pupil voice"
    )
    needs_summary: LongText | None = field("Summary of needs")
    apdr_cycles: Int | None = field(
        "Number of completed assess, plan, do, review cycles", "Number of completed APDR cycles"
    )
    support_in_place: LongText | None = field("Support already in place")
    outcomes_sought: LongText | None = field("Outcomes sought")
    funding_use: LongText | None = field("How the funding will be used")
    amount_requested: Money | None = field(
        "Total amount requested from the cluster (£)",
        "Total amount requested from the cluster",
        "Amount requested",
    )
    funding_start: UKDate | None = field("Funding start date")
    funding_end: UKDate | None = field("Funding end date")
    headteacher_signature: Text | None = field("Headteacher signature", "Signature")
    declaration_date: UKDate | None = field("Date of declaration", "Declaration date")
