"""Fictional sample requests of every kind but IPN: project, capital, EHC plan, review.

Each kind has a module with its Word form's ``SECTIONS``, a ``make`` for a clean request
and ``DEFECTS``, one per rule code the kind can break. ``generate`` writes numbered ``.eml``
files named for what the pipeline should find: ``041-capital_bid-clean.eml``,
``047-capital_bid-after_round_deadline.eml``. A defect that needs an earlier email
(``over_setting_cap``: two bids of one setting) writes it first, as ``...-first.eml``.
Every name, school detail and narrative in them is made up.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from pipeline.atomic import write_atomic
from pipeline.config import Config
from testkit.samples.forms import capital, ehcp, project, review
from testkit.samples.forms.case import SampleForm
from testkit.samples.forms.docx import render_form_docx
from testkit.samples.forms.email_message import render_emails

Defect = Callable[[SampleForm, random.Random, Config], SampleForm]
KINDS: dict[str, ModuleType] = {module.KIND: module for module in (project, capital, ehcp, review)}
FORM_DEFECTS: dict[str, dict[str, Defect]] = {kind: m.DEFECTS for kind, m in KINDS.items()}


def render_form(sample: SampleForm) -> bytes:
    """The sample's Word form, laid out in its kind's sections."""
    return render_form_docx(sample, KINDS[sample.kind].SECTIONS)


def sample_form(
    kind: str, index: int, code: str, config: Config, *, seed: int = 2025
) -> SampleForm:
    """The request ``generate`` writes at ``index``: clean, or with the defect ``code``."""
    if kind not in KINDS:
        raise ValueError(f"no sample form of kind {kind!r}; known: {', '.join(KINDS)}")
    defects = FORM_DEFECTS[kind]
    if code != "clean" and code not in defects:
        raise ValueError(f"no {kind} sample defect {code!r}; known: {', '.join(defects)}")
    rng = random.Random(f"{seed}:{kind}:{index}")
    made: SampleForm = KINDS[kind].make(rng, config, index)
    if code == "clean":
        return made
    return defects[code](made, rng, config).model_copy(update={"defect": code})


def generate_forms(
    folder: Path,
    config: Config,
    requests: Sequence[tuple[str, str]],
    *,
    seed: int = 2025,
    start_index: int = 1,
) -> list[Path]:
    """Write one email (or two) per (kind, code) request; the paths written, in order."""
    written: list[Path] = []
    for offset, (kind, code) in enumerate(requests):
        index = start_index + offset
        emails = render_emails(sample_form(kind, index, code, config, seed=seed), render_form)
        stem = f"{index:03d}-{kind}-{code}"
        names = [f"{stem}-first.eml"] * (len(emails) - 1) + [f"{stem}.eml"]
        for name, data in zip(names, emails, strict=True):
            write_atomic(folder / name, data)
            written.append(folder / name)
    return written


__all__ = [
    "FORM_DEFECTS",
    "KINDS",
    "SampleForm",
    "generate_forms",
    "render_form",
    "sample_form",
]
