"""SPEC 4.2: the Costed Provision Map (.xlsx): a header block, provision lines and totals."""

from __future__ import annotations

from decimal import Decimal

from schemas.form import Form, Record, field
from schemas.kinds import DocumentKind
from schemas.money import pennies
from schemas.types import Int, Money, Number, Text, UKDate, YearGroup


class ProvisionLine(Record):
    """One row of the provision table; its labels are the table's column headers."""

    title = "Provision line"

    area_of_need: Text | None = field("Area of need")
    provision: Text | None = field("Provision / intervention", "Provision", "Intervention")
    staff_role: Text | None = field("Staff role", "Staff")
    group_size: Int | None = field("Group size (pupils)", "Group size")
    sessions_per_week: Number | None = field("Sessions per week")
    minutes_per_session: Number | None = field("Minutes per session", "Session length (minutes)")
    weeks: Number | None = field("Weeks", "Number of weeks")
    hourly_rate: Money | None = field("Hourly rate (£)", "Hourly rate")
    annual_cost: Money | None = field("Annual cost (£)", "Annual cost", "Cost (£)")

    def cost_by_formula(self) -> Decimal | None:
        """The SPEC's cost of the line: sessions x minutes / 60 x weeks x rate / group size."""
        parts = (self.sessions_per_week, self.minutes_per_session, self.weeks)
        if any(p is None for p in parts) or self.hourly_rate is None or not self.group_size:
            return None
        sessions, minutes, weeks = (Decimal(repr(p)) for p in parts if p is not None)
        return pennies(sessions * minutes / 60 * weeks * self.hourly_rate / self.group_size)


class ProvisionMap(Form):
    kind = DocumentKind.provision_map
    title = "Costed Provision Map"
    title_alternatives = ("Costed Provision Document", "Provision Map")
    line = ProvisionLine

    setting_name: Text | None = field("Name of school/setting", "School", "Setting")
    pupil_name: Text | None = field("Pupil name", "Name of pupil", "Child's name")
    upn: Text | None = field("UPN", "Unique Pupil Number", "ULN")
    date_of_birth: UKDate | None = field("Date of birth", "DOB")
    year_group: YearGroup | None = field("Year group")
    date_completed: UKDate | None = field("Date completed", required=False)
    total_cost: Money | None = field("Total cost of provision (£)", "Total cost of provision")
    element2_contribution: Money | None = field(
        "Element 2 contribution from school (£)",
        "Element 2 contribution from school",
        "Element 2 contribution",
    )
    amount_requested: Money | None = field(
        "Amount requested from cluster (£)",
        "Amount requested from cluster",
        "Amount requested from the cluster (£)",
    )
