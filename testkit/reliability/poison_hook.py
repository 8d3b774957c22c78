"""`pipeline` with one fault built in, for the mailbox soak: an email that starts with the
header ``X-Reliability-Poison: yes`` fails in parsing every time it is tried, as an email
that meets a bug would. Nothing else changes; it is never used outside the trials."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.flow import journey as flow
from pipeline.intake.store import BlobStore
from pipeline.models import Incoming, Message

POISON_HEADER = b"X-Reliability-Poison: yes"


def main() -> None:
    """``pipeline`` (its command line from sys.argv) with the poison installed."""
    real: Callable[[Incoming, BlobStore, float], Message] = vars(flow)["parse_incoming"]

    def parse(incoming: Incoming, store: BlobStore, max_bytes: float) -> Message:
        if incoming.data.startswith(POISON_HEADER):
            raise RecursionError("maximum recursion depth exceeded")
        return real(incoming, store, max_bytes)

    vars(flow)["parse_incoming"] = parse  # flow calls it by this module-level name
    from pipeline.cli import main as pipeline_main

    pipeline_main()
