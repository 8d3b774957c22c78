"""Versions of a meeting's bundle: what was issued, and what arrived after it.

The first bundle made for a meeting is version 1, issued that day. Made again after that, it
keeps every page of the issued version where it was and adds what has arrived since (a new
case on the agenda, or later documents of a case already in it) in a "Late additions" section
at the end, as version 2, 3 ...; the cover gives the version, its issue date and what changed.
``bundle-issued.json`` beside the bundles records what the issued version holds: case
references and document hashes only, nothing about a pupil.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationError

from pipeline.atomic import write_atomic
from pipeline.meetings.bundle.agenda import agenda_cases
from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.models import Frozen
from pipeline.reports.wording import format_date

logger = logging.getLogger(__name__)
ISSUED = "bundle-issued.json"
_LISTED = 6  # late cases named on the cover; the Late additions section lists every one


class Issue(Frozen):
    """One issued version: its number and date, and what each version after the first added."""

    version: int = 1
    issued: date
    first_issued: date
    changes: tuple[str, ...] = ()
    cases: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # ref -> document sha256s
    scores: dict[str, int] = Field(default_factory=dict)  # capital bid ref -> total score
    withdrawn: tuple[str, ...] = ()  # issued cases since moved off this meeting's agenda

    @property
    def label(self) -> str:
        if self.version == 1:
            return f"Version 1, issued {format_date(self.issued)}"
        return (
            f"Version {self.version}, issued {format_date(self.issued)} "
            f"(version 1 was issued {format_date(self.first_issued)})"
        )


@dataclass(frozen=True)
class Late:
    """A case with what arrived after the issued version: all of it for a new case."""

    case: CaseFile
    new_case: bool

    @property
    def words(self) -> str:
        if self.new_case:
            return "a new case on the agenda"
        count = len(self.case.documents)
        return f"{count} late document{'s' if count != 1 else ''}"


def first_issue(pack: MeetingPack, today: date) -> Issue:
    return Issue(issued=today, first_issued=today, cases=holdings(pack), scores=scored(pack))


def rescored(issued: Issue, pack: MeetingPack) -> bool:
    """The capital round's scores changed since the issue: its ranking pages are out of date."""
    return issued.scores != scored(pack)


def rescored_issue(issued: Issue, pack: MeetingPack, today: date) -> Issue:
    """The version made again whole, because the round's scores came in after it was issued."""
    change = (
        f"Version {issued.version + 1} ({format_date(today)}) is made again whole with the "
        "capital round's scores and its ranked recommendations; page numbers may have moved."
    )
    return Issue(
        version=issued.version + 1,
        issued=today,
        first_issued=issued.first_issued,
        changes=(*issued.changes, change),
        cases=holdings(pack),
        scores=scored(pack),
    )


def next_issue(issued: Issue, pack: MeetingPack, late: list[Late], today: date) -> Issue:
    """The version after ``issued``: it holds everything in the pack, and says what it added
    and which issued cases have left the agenda since."""
    gone = newly_withdrawn(pack, issued)
    version = f"Version {issued.version + 1} ({format_date(today)})"
    changes = [_added(version, late)] if late else []
    if gone:
        opening = f"Since version {issued.version}," if late else f"{version}:"
        changes.append(_withdrawn(opening, gone))
    return Issue(
        version=issued.version + 1,
        issued=today,
        first_issued=issued.first_issued,
        changes=(*issued.changes, " ".join(changes)),
        cases={**issued.cases, **holdings(pack)},
        scores=scored(pack),
        withdrawn=(*issued.withdrawn, *gone),
    )


def _added(version: str, late: list[Late]) -> str:
    what = "; ".join(f"{item.case.case_ref}, {item.words}" for item in late[:_LISTED])
    if len(late) > _LISTED:
        what += f"; and {len(late) - _LISTED} more"
    return f"{version} adds in Late additions at the end: {what}. Earlier pages are unchanged."


def _withdrawn(opening: str, gone: list[str]) -> str:
    refs = ", ".join(gone)
    verb = "is" if len(gone) == 1 else "are"
    return (
        f"{opening} {refs} {verb} no longer on this meeting's agenda (moved to another meeting "
        "or withdrawn): the pages stay where they were, marked not for decision."
    )


def newly_withdrawn(pack: MeetingPack, issued: Issue) -> list[str]:
    """Cases an issued version held that have left the pack since, not already announced."""
    listed = {case.case_ref for case in pack.cases}
    return [ref for ref in issued.cases if ref not in listed and ref not in issued.withdrawn]


def off_agenda(pack: MeetingPack, issue: Issue) -> list[str]:
    """Every issued case not on the agenda now (announced in this version or before)."""
    listed = {case.case_ref for case in pack.cases}
    return [ref for ref in issue.cases if ref not in listed]


def scored(pack: MeetingPack) -> dict[str, int]:
    return {ref: score.total for ref, score in pack.capital_scores.items()}


def holdings(pack: MeetingPack) -> dict[str, tuple[str, ...]]:
    return {case.case_ref: tuple(d.sha256 for d in case.documents) for case in pack.cases}


def late_items(pack: MeetingPack, issued: Issue) -> list[Late]:
    """What the pack has that the issued version does not, in agenda order."""
    found = []
    for case in agenda_cases(pack):
        held = issued.cases.get(case.case_ref)
        if held is None:
            found.append(Late(case, new_case=True))
            continue
        documents = tuple(d for d in case.documents if d.sha256 not in held)
        if documents:
            found.append(Late(case.model_copy(update={"documents": documents}), new_case=False))
    return found


def read_issued(out_dir: Path) -> Issue | None:
    path = out_dir / ISSUED
    try:
        return Issue.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ValidationError):
        logger.warning("%s could not be read; the bundle is made again as version 1", path.name)
        return None


def write_issued(out_dir: Path, issue: Issue) -> None:
    write_atomic(out_dir / ISSUED, issue.model_dump_json(indent=2).encode())
