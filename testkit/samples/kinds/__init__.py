"""Every kind of sample request, each made the same way: a clean ``make``, then one defect.

Each kind's module has ``KIND`` (its form's kind in ``schemas.FORMS``), ``make`` for a clean
request and ``DEFECTS``, one per rule code the kind can break. :class:`SampleKind` turns an
index and a code into the request, seeded so the same seed gives the same request.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from pipeline.config import Config
from testkit.samples.case import SampleReferral
from testkit.samples.kinds import capital, ehcp, ipn, project, review
from testkit.samples.kinds.form import SampleForm
from testkit.samples.request import SampleRequest

S = TypeVar("S", bound=SampleRequest)


@dataclass(frozen=True)
class SampleKind(Generic[S]):
    """One kind of request: how to make a clean one and how to break each of its rules."""

    kind: str
    make: Callable[[random.Random, Config, int], S]
    defects: Mapping[str, Callable[[S, random.Random, Config], S]]
    # IPN referrals came first and are seeded and named without their kind (001-clean.eml);
    # they keep that, so the shipped inbox and the golden corpus stay the same byte for byte.
    named_by_kind: bool = True

    def sample(self, index: int, code: str, config: Config, *, seed: int) -> S:
        """The request at ``index`` of a run: clean, or with the defect ``code``."""
        self.check(code)
        key = f"{seed}:{self.kind}:{index}" if self.named_by_kind else f"{seed}:{index}"
        rng = random.Random(key)
        made = self.make(rng, config, index)
        if code == "clean":
            return made
        return self.defects[code](made, rng, config).model_copy(update={"defect": code})

    def check(self, code: str) -> None:
        """Raise ValueError naming the known defects unless ``code`` is clean or one of them."""
        if code != "clean" and code not in self.defects:
            raise ValueError(
                f"no {self.kind} sample defect {code!r}; known: {', '.join(self.defects)}"
            )

    def stem(self, index: int, code: str) -> str:
        """The file name of the request's email, without ``.eml``."""
        return f"{index:03d}-{self.kind}-{code}" if self.named_by_kind else f"{index:03d}-{code}"


IPN: SampleKind[SampleReferral] = SampleKind(ipn.KIND, ipn.make, ipn.DEFECTS, named_by_kind=False)
KINDS: dict[str, SampleKind[SampleReferral] | SampleKind[SampleForm]] = {
    IPN.kind: IPN,
    **{
        module.KIND: SampleKind[SampleForm](module.KIND, module.make, module.DEFECTS)
        for module in (project, capital, ehcp, review)
    },
}

__all__ = ["IPN", "KINDS", "SampleForm", "SampleKind"]
