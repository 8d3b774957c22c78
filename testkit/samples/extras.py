"""Attachments a school sends by mistake: a newsletter, a macro-enabled copy of a workbook.

Each extra is named by a key in ``SampleReferral.extras`` and turned into (filename, bytes).
"""

from __future__ import annotations

import io
import random
import zipfile

from docx import Document

from testkit.samples.archive import office_time, restamp
from testkit.samples.case import SampleReferral
from testkit.samples.xlsx_map import render_provision_map

NEWSLETTER = "newsletter"
MACRO_WORKBOOK = "macro_workbook"
BROKEN_SUPPORT_PLAN = "broken_support_plan"

NEWS = (
    "Well done to everyone who took part in the sponsored walk: together we raised £1,240 "
    "for new playground equipment.",
    "Flu vaccinations for all year groups will take place next week. Please return your "
    "consent slips to the office.",
    "Our after-school clubs restart on Monday. Places in the football and choir clubs are "
    "still available.",
    "A reminder that school closes at 1.30pm on the last day of term.",
    "Thank you to the parents who volunteered at the harvest festival.",
)


def render_newsletter(referral: SampleReferral) -> bytes:
    """A school newsletter in Word: no cluster form, so the pipeline keeps it as supporting."""
    rng = random.Random(f"newsletter {referral.document_seed}")
    document = Document()
    document.add_heading(f"{referral.setting_as_written} – Parent Newsletter", level=1)
    document.add_paragraph(rng.choice(("Autumn", "Spring", "Summer")) + " term")
    for item in rng.sample(NEWS, k=3):
        document.add_paragraph(item)
    document.add_paragraph("With best wishes,\nThe Headteacher")
    properties = document.core_properties
    properties.author = properties.last_modified_by = "School office"
    properties.created = properties.modified = office_time(referral.document_time)
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return restamp(buffer.getvalue(), referral.document_time)


def render_macro_workbook(referral: SampleReferral) -> bytes:
    """The provision map with a (dummy) VBA project added: a zip the pipeline must not open."""
    buffer = io.BytesIO(render_provision_map(referral))
    with zipfile.ZipFile(buffer, "a") as archive:
        entry = zipfile.ZipInfo("xl/vbaProject.bin", date_time=(2025, 1, 1, 0, 0, 0))
        archive.writestr(entry, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 fictional macro project")
    return buffer.getvalue()


def render_extra(referral: SampleReferral, key: str) -> tuple[str, bytes]:
    """The filename and bytes of one extra attachment."""
    if key == NEWSLETTER:
        return "Newsletter.docx", render_newsletter(referral)
    if key == MACRO_WORKBOOK:
        return "Provision map.xlsm", render_macro_workbook(referral)
    if key == BROKEN_SUPPORT_PLAN:
        # A Word file cut short in transit: a zip without its central directory.
        data = render_newsletter(referral)
        return f"Support plan {referral.initials.replace('.', '')}.docx", data[: len(data) // 3]
    raise ValueError(f"unknown extra attachment {key!r}")
