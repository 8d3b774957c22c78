"""Sample Individual Pupil Need referrals: a pupil, their costed provision map, and the defects.

The truth and its clean make are :mod:`testkit.samples.case`; the defects, one per SPEC rule
code, are :mod:`testkit.samples.defects`.
"""

from __future__ import annotations

import random

from pipeline.config import Config
from schemas import IpnReferral
from testkit.samples.case import SampleReferral, make_referral
from testkit.samples.defects import DEFECTS

KIND = IpnReferral.kind


def make(rng: random.Random, config: Config, index: int) -> SampleReferral:
    """A clean referral (its index plays no part: the seed already differs by index)."""
    return make_referral(rng, config)


__all__ = ["DEFECTS", "KIND", "make"]
