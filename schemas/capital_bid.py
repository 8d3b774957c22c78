"""SPEC 4.5: the Inclusive Environments Capital Fund Application (one bid by one setting)."""

from __future__ import annotations

from schemas.form import Form, field
from schemas.kinds import DocumentKind, RequestType
from schemas.types import Email, ImprovementTypes, Int, LongText, Money, Text, UKDate, YesNo

CRITERIA = (
    "strategic_fit",
    "quality_of_design",
    "deliverability",
    "value_for_money",
    "environmental_impact",
    "stakeholder_engagement",
)
DECLARATIONS = (
    "decl_not_revenue",
    "decl_not_maintenance",
    "decl_not_mobility",
    "decl_no_prior_grant",
)


class CapitalBid(Form):
    kind = DocumentKind.capital_bid
    title = "Inclusive Environments Capital Fund Application"
    title_alternatives = (
        "Inclusive Environments Capital Fund Application Form",
        "Inclusive Environments Capital Fund",
        "Capital Fund Application",
    )
    request_type = RequestType.capital
    sections = (
        ("Section 1: School/setting", ("setting_name", "contact_name", "contact_email")),
        (
            "Section 2: The project",
            (
                "project_title",
                "improvement_types",
                "works_description",
                "ehcp_pupils_benefiting",
                "pupils_benefiting",
            ),
        ),
        (
            "Section 3: Costs",
            ("amount_requested", "total_project_cost", "quotes_obtained", "expected_completion"),
        ),
        ("Section 4: Assessment criteria", CRITERIA),
        ("Section 5: Eligibility", DECLARATIONS),
        ("Section 6: Declaration", ("headteacher_signature", "declaration_date")),
    )

    setting_name: Text | None = field("Name of school/setting", "School", "Setting")
    contact_name: Text | None = field("Contact name", "Lead contact")
    contact_email: Email | None = field("Contact email", "Contact email address")
    project_title: Text | None = field("Project title", "Title of project")
    improvement_types: ImprovementTypes | None = field(
        "Type of improvement", "Type of improvement (tick all that apply)", "Types of improvement"
    )
    works_description: LongText | None = field("Description of works", "Description of the works")
    ehcp_pupils_benefiting: Int | None = field(
        "Pupils with EHC plans who will benefit", "Number of pupils with EHC plans who will benefit"
    )
    pupils_benefiting: Int | None = field(
        "Total pupils who will benefit", "Total number of pupils who will benefit"
    )
    amount_requested: Money | None = field("Amount requested (£)", "Amount requested")
    total_project_cost: Money | None = field("Total project cost (£)", "Total project cost")
    quotes_obtained: Int | None = field("Number of quotes obtained", "Quotes obtained")
    strategic_fit: LongText | None = field("Strategic fit")
    quality_of_design: LongText | None = field("Quality of design")
    deliverability: LongText | None = field("Deliverability")
    value_for_money: LongText | None = field("Value for money")
    environmental_impact: LongText | None = field("Environmental impact")
    stakeholder_engagement: LongText | None = field("Stakeholder engagement")
    expected_completion: UKDate | None = field(
        "Expected completion date", "Expected date of completion"
    )
    decl_not_revenue: YesNo | None = field(
        "The project is not for revenue costs such as staffing, training or vehicles"
    )
    decl_not_maintenance: YesNo | None = field("The project is not maintenance work")
    decl_not_mobility: YesNo | None = field(
        "The project does not fund individual mobility equipment"
    )
    decl_no_prior_grant: YesNo | None = field(
        "The setting has not received High Needs Capital Grant funding, including Enhanced "
        "Resource Provision projects",
        "The setting has not received High Needs Capital Grant funding",
    )
    headteacher_signature: Text | None = field("Headteacher signature", "Signature")
    declaration_date: UKDate | None = field("Date of declaration", "Declaration date")
