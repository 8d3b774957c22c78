"""The queue page: one row per case, newest first, with the filters the admin works by."""

from __future__ import annotations

from starlette.responses import Response

from pipeline.desk.queue import NEED_NAMES, Need, QueueFilter, build_queue
from pipeline.desk.web import Call


def queue(call: Call) -> Response:
    chosen = QueueFilter.of(call.query())
    found = build_queue(call.desk.config, call.desk.store, chosen, call.desk.day())
    return call.page(
        "queue.html",
        queue=found,
        chosen=chosen,
        needs=[(need.value, NEED_NAMES[need]) for need in Need],
        note=call.query().get("note", ""),
    )
