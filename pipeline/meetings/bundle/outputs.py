"""What ``pipeline meeting bundle`` writes: both editions of the bundle and the decision log.

The first time, version 1 of the bundle; after that, the issued bundle with what arrived since
added at the end (``late.py``). A decision log that has decisions filled in is never written
over: the new one goes beside it, with a warning.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.meetings.bundle.build import Load, build_edition, convert_originals
from pipeline.meetings.bundle.edition import EDITIONS
from pipeline.meetings.bundle.late import add_late
from pipeline.meetings.bundle.versions import (
    first_issue,
    read_issued,
    rescored,
    rescored_issue,
    write_issued,
)
from pipeline.meetings.decision_log import read_decision_log, write_decision_log
from pipeline.meetings.models import MeetingPack

logger = logging.getLogger(__name__)
DECISION_LOG = "decision-log.xlsx"


def build_meeting_outputs(
    pack: MeetingPack,
    config: Config,
    load: Load,
    out_dir: Path,
    *,
    today: date | None = None,
    fresh: bool = False,
) -> list[Path]:
    """Both editions of the bundle and the decision log; Word/Excel originals converted once.

    Made again after it was issued, the bundle keeps its pages and adds what arrived since in
    "Late additions" (``late.py``) unless ``fresh`` starts again at version 1; after the capital
    round's scores come in, it is the next version made again whole.
    """
    today = today or date.today()
    paths = [out_dir / f"bundle-{edition}.pdf" for edition in EDITIONS]
    issued = None if fresh else read_issued(out_dir)
    if issued is not None and not all(path.exists() for path in paths):
        issued = None  # a bundle deleted since: made again from version 1
    if issued is not None and not rescored(issued, pack):
        add_late(pack, config, load, out_dir, issued, today)
    else:
        issue = first_issue(pack, today) if issued is None else rescored_issue(issued, pack, today)
        converted = convert_originals(pack.cases, load)
        for edition in EDITIONS:
            build_edition(pack, config, load, out_dir, edition, converted, issue)
        write_issued(out_dir, issue)
    log = _unfilled_log_path(out_dir, pack)
    write_decision_log(log, pack)
    return [*paths, log]


def _unfilled_log_path(out_dir: Path, pack: MeetingPack) -> Path:
    """Where the decision log goes: never over one that has decisions filled in."""
    log = out_dir / DECISION_LOG
    if not (log.exists() and _has_decisions(log, pack)):
        return log
    number = 2
    while (out_dir / f"decision-log-{number}.xlsx").exists():
        number += 1
    beside = out_dir / f"decision-log-{number}.xlsx"
    logger.warning(
        "%s has decisions filled in and was kept; the new decision log is %s",
        log.name,
        beside.name,
    )
    return beside


def _has_decisions(log: Path, pack: MeetingPack) -> bool:
    known = {case.case_ref for case in pack.cases}
    try:
        return bool(read_decision_log(log.read_bytes(), pack.meeting.day, known))
    except (PipelineError, OSError):
        return True  # a log that cannot be read back may hold decisions: keep it
