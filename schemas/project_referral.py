"""SPEC 4.3: the Project-Based Work Referral Form, and the lines of its cost table."""

from __future__ import annotations

from schemas.form import Form, Record, field
from schemas.kinds import DocumentKind, RequestType
from schemas.types import Email, Int, LongText, Money, SettingNames, Text, UKDate

# In a section's field ids: where the form prints its table of cost lines.
COST_LINES = "cost_lines"


class CostLine(Record):
    """One row of the project's cost table; its labels are the table's column headers."""

    title = "Project cost line"

    item: Text | None = field("Item", "Item of expenditure", "Description")
    cost: Money | None = field("Cost (£)", "Cost", "Amount (£)")


class ProjectReferral(Form):
    kind = DocumentKind.project_referral
    title = "Project-Based Work Referral Form"
    title_alternatives = ("Project-Based Work Referral", "Project Based Work Referral Form")
    request_type = RequestType.project
    line = CostLine
    sections = (
        (
            "Section 1: Settings and contact",
            ("setting_name", "partner_settings", "contact_name", "contact_email"),
        ),
        (
            "Section 2: The project",
            (
                "project_title",
                "project_description",
                "needs_addressed",
                "pupils_benefiting",
                "outcomes_and_measures",
            ),
        ),
        ("Section 3: Costs", (COST_LINES, "amount_requested")),
        ("Section 4: Timescale", ("project_start", "project_end", "sustainability")),
        ("Section 5: Declaration", ("headteacher_signature", "declaration_date")),
    )

    setting_name: Text | None = field(
        "Lead school/setting", "Lead school", "Lead setting", "Name of lead school/setting"
    )
    partner_settings: SettingNames | None = field(
        "Partner schools/settings", "Partner schools", "Partner settings", required=False
    )
    contact_name: Text | None = field("Contact name", "Lead contact")
    contact_email: Email | None = field("Contact email", "Contact email address")
    project_title: Text | None = field("Project title", "Title of project")
    project_description: LongText | None = field("Project description", "Description of project")
    needs_addressed: LongText | None = field(
        "Needs the project addresses", "Needs addressed by the project"
    )
    pupils_benefiting: Int | None = field(
        "Number of children and young people who will benefit", "Number of pupils who will benefit"
    )
    outcomes_and_measures: LongText | None = field(
        "Outcomes and how impact will be measured", "Outcomes and measures"
    )
    amount_requested: Money | None = field(
        "Total amount requested (£)", "Total amount requested", "Amount requested"
    )
    project_start: UKDate | None = field("Project start date", "Start date")
    project_end: UKDate | None = field("Project end date", "End date")
    sustainability: LongText | None = field("Sustainability after funding ends", "Sustainability")
    headteacher_signature: Text | None = field("Headteacher signature", "Signature")
    declaration_date: UKDate | None = field("Date of declaration", "Declaration date")
