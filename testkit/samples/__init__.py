"""Fictional sample referrals: clean IPN referral emails, and ones with one seeded defect.

``generate`` writes numbered ``.eml`` files into a folder (for the drop-folder source or the
tests), named for what the pipeline should find in them: ``001-clean.eml``,
``007-consent_stale.eml``. A duplicate submission is two emails: ``NNN-duplicate_submission-
first.eml`` (which sorts, and is dated, first) and ``NNN-duplicate_submission.eml``.
Every name, school detail and narrative in them is made up. The other request kinds
(project, capital, exceptional needs, review) are in :mod:`testkit.samples.forms`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from pipeline.atomic import write_atomic
from pipeline.config import Config
from testkit.samples.case import SampleReferral, make_referral
from testkit.samples.defects import DEFECTS
from testkit.samples.email_message import duplicate_pair, render_email, render_emails
from testkit.samples.forms import FORM_DEFECTS, generate_forms, sample_form

ALL_DEFECTS: tuple[str, ...] = tuple(DEFECTS)


def apply_defect(
    referral: SampleReferral, code: str, rng: random.Random, config: Config
) -> SampleReferral:
    """The referral with exactly one breach of the SPEC rule ``code``."""
    if code not in DEFECTS:
        raise ValueError(f"no sample defect for rule code {code!r}; known: {', '.join(DEFECTS)}")
    return DEFECTS[code](referral, rng, config).model_copy(update={"defect": code})


def sample(index: int, code: str, config: Config, *, seed: int = 2025) -> SampleReferral:
    """The referral ``generate`` writes at ``index``: clean, or with the defect ``code``."""
    rng = random.Random(f"{seed}:{index}")
    referral = make_referral(rng, config)
    return referral if code == "clean" else apply_defect(referral, code, rng, config)


def generate(
    folder: Path,
    config: Config,
    *,
    seed: int = 2025,
    clean: int = 5,
    defects: Sequence[str] = (),
    start_index: int = 1,
) -> list[Path]:
    """Write ``clean`` clean emails, then one per defect code; the paths written, in order."""
    unknown = [code for code in defects if code not in DEFECTS]
    if unknown:
        raise ValueError(f"no sample defect for {', '.join(unknown)}; known: {', '.join(DEFECTS)}")
    written: list[Path] = []
    for offset, code in enumerate(["clean"] * clean + list(defects)):
        index = start_index + offset
        emails = render_emails(sample(index, code, config, seed=seed))
        names = [f"{index:03d}-{code}.eml"]
        if len(emails) == 2:
            names.insert(0, f"{index:03d}-{code}-first.eml")
        for name, data in zip(names, emails, strict=True):
            write_atomic(folder / name, data)
            written.append(folder / name)
    return written


__all__ = [
    "ALL_DEFECTS",
    "DEFECTS",
    "FORM_DEFECTS",
    "SampleReferral",
    "apply_defect",
    "duplicate_pair",
    "generate",
    "generate_forms",
    "make_referral",
    "render_email",
    "render_emails",
    "sample",
    "sample_form",
]
