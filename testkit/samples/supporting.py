"""A short fictional professional's report (PDF) that a school attaches as supporting evidence.

It must never carry a cluster form's title line, so that the pipeline classifies it as a
supporting document. Its text is fiction, chosen from the referral's own seed.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from testkit.samples.case import SampleReferral
from testkit.samples.people import ADULT_FORENAMES, SURNAMES

OBSERVED = (
    "{name} was observed in class during a literacy lesson and at lunchtime. {name} settled "
    "best when an adult sat close by and broke the task into small steps.",
    "During the observation {name} left the classroom twice and needed an adult to help "
    "{them} return. Transitions between activities were the hardest times.",
    "{name} engaged well in a quiet room with one familiar adult, and was able to talk about "
    "what helps and what makes things harder.",
)
DISCUSSED = (
    "I met the SENCo and the class teacher to review the support plan and recent records of "
    "incidents and progress.",
    "A consultation was held with {name}'s parent/carer, who described the difficulties seen "
    "at home and the family's hopes for the coming year.",
)
ADVICE = (
    "Consistent adult support across the school day, from a small number of familiar staff.",
    "Short, structured daily sessions targeting the skills identified above, reviewed every "
    "six weeks.",
    "A visual timetable and advance warning of changes to routine.",
    "Planned movement breaks and access to a calm, low-arousal space.",
    "Regular review meetings with the family, so that home and school use the same approach.",
)


def render_supporting_pdf(referral: SampleReferral) -> bytes:
    """A one- or two-page report; the same bytes every time for the same referral."""
    rng = random.Random(referral.document_seed)
    styles = getSampleStyleSheet()
    forename = str(referral.values.get("pupil_forename") or "the child")
    surname = str(referral.values.get("pupil_surname") or "")
    fill = {"name": forename, "them": "them"}
    author = f"{rng.choice(ADULT_FORENAMES)} {rng.choice(SURNAMES)}"
    seen = (referral.document_time - timedelta(days=rng.randint(10, 60))).strftime("%d/%m/%Y")
    story = [
        Paragraph(referral.supporting_title, styles["Title"]),
        Paragraph("Stoke-on-Trent City Council – Children's Services", styles["Normal"]),
        Spacer(1, 0.4 * cm),
        Paragraph(f"<b>Child:</b> {forename} {surname}", styles["Normal"]),
        Paragraph(f"<b>Setting:</b> {referral.setting_as_written}", styles["Normal"]),
        Paragraph(f"<b>Date of visit:</b> {seen}", styles["Normal"]),
        Spacer(1, 0.4 * cm),
        Paragraph("Reason for involvement", styles["Heading2"]),
        Paragraph(
            f"School asked for advice about how best to meet {forename}'s needs and whether "
            "additional support from the cluster would help.",
            styles["Normal"],
        ),
        Paragraph("What I saw and heard", styles["Heading2"]),
        *(
            Paragraph(text.format(**fill), styles["Normal"])
            for text in rng.sample(OBSERVED, k=2) + rng.sample(DISCUSSED, k=1)
        ),
        Paragraph("Advice", styles["Heading2"]),
        *(
            Paragraph(f"{n}. {text}", styles["Normal"])
            for n, text in enumerate(rng.sample(ADVICE, k=rng.randint(3, 5)), start=1)
        ),
        Spacer(1, 0.6 * cm),
        Paragraph(f"{author}<br/>Practitioner (fictional sample report)", styles["Normal"]),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=referral.supporting_title,
        author=author,
        invariant=1,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return buffer.getvalue()
