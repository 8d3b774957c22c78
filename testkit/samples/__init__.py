"""Fictional sample requests of every form kind: clean, or with one seeded defect each.

One generator for every kind in the form catalogue (:mod:`testkit.samples.kinds`): IPN
referrals, project referrals, capital bids, exceptional-needs requests and funding reviews
are made by their kind's ``make``, broken by one of its ``DEFECTS``, laid out as Word forms
by :mod:`testkit.samples.word` from ``schemas.FORMS[kind].sections`` and sent by
:mod:`testkit.samples.email_message`. ``write_samples`` writes numbered ``.eml`` files named
for what the pipeline should find: ``001-clean.eml``, ``007-consent_stale.eml`` (IPN),
``041-capital_bid-clean.eml``. A request that needs an earlier email (a duplicate submission,
two capital bids of one setting) writes it first, as ``...-first.eml``. Every name, school
detail and narrative in them is made up.
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
from testkit.samples.kinds import IPN, KINDS, SampleForm, SampleKind
from testkit.samples.request import SampleRequest

ALL_DEFECTS: tuple[str, ...] = tuple(DEFECTS)
FORM_DEFECTS = {kind: made.defects for kind, made in KINDS.items() if kind != IPN.kind}


def make_sample(
    kind: str, index: int, code: str, config: Config, *, seed: int = 2025
) -> SampleReferral | SampleForm:
    """The request ``write_samples`` writes at ``index``: clean, or with the defect ``code``."""
    return _known(kind, code).sample(index, code, config, seed=seed)


def _known(kind: str, code: str) -> SampleKind[SampleReferral] | SampleKind[SampleForm]:
    if kind not in KINDS:
        raise ValueError(f"no sample form of kind {kind!r}; known: {', '.join(KINDS)}")
    KINDS[kind].check(code)
    return KINDS[kind]


def write_samples(
    folder: Path,
    config: Config,
    requests: Sequence[tuple[str, str]],
    *,
    seed: int = 2025,
    start_index: int = 1,
) -> list[Path]:
    """Write one email (or two) per (kind, code) request; the paths written, in order."""
    kinds = [_known(kind, code) for kind, code in requests]
    written: list[Path] = []
    for offset, (made, (_, code)) in enumerate(zip(kinds, requests, strict=True)):
        index = start_index + offset
        emails = render_emails(made.sample(index, code, config, seed=seed))
        stem = made.stem(index, code)
        names = [f"{stem}-first.eml"] * (len(emails) - 1) + [f"{stem}.eml"]
        for name, data in zip(names, emails, strict=True):
            write_atomic(folder / name, data)
            written.append(folder / name)
    return written


def sample(index: int, code: str, config: Config, *, seed: int = 2025) -> SampleReferral:
    """The IPN referral ``generate`` writes at ``index``: clean, or with the defect ``code``."""
    return IPN.sample(index, code, config, seed=seed)


def apply_defect(
    referral: SampleReferral, code: str, rng: random.Random, config: Config
) -> SampleReferral:
    """The referral with exactly one breach of the SPEC rule ``code``."""
    if code not in DEFECTS:
        raise ValueError(f"no sample defect for rule code {code!r}; known: {', '.join(DEFECTS)}")
    return DEFECTS[code](referral, rng, config).model_copy(update={"defect": code})


def generate(
    folder: Path,
    config: Config,
    *,
    seed: int = 2025,
    clean: int = 5,
    defects: Sequence[str] = (),
    start_index: int = 1,
) -> list[Path]:
    """IPN referrals (``pipeline samples``): ``clean`` clean ones, then one per defect code."""
    unknown = [code for code in defects if code not in DEFECTS]
    if unknown:
        raise ValueError(f"no sample defect for {', '.join(unknown)}; known: {', '.join(DEFECTS)}")
    requests = [(IPN.kind, code) for code in ["clean"] * clean + list(defects)]
    return write_samples(folder, config, requests, seed=seed, start_index=start_index)


__all__ = [
    "ALL_DEFECTS",
    "DEFECTS",
    "FORM_DEFECTS",
    "KINDS",
    "SampleForm",
    "SampleReferral",
    "SampleRequest",
    "apply_defect",
    "duplicate_pair",
    "generate",
    "make_referral",
    "make_sample",
    "render_email",
    "render_emails",
    "sample",
    "write_samples",
]
