"""The reliability trials: hostile input through the real pipeline, and SIGKILL at random.

``hostile_trial`` runs every hostile kind (:mod:`testkit.reliability.hostile`), each just after
a clean generated email, through the same calls ``pipeline run`` makes, and counts per kind how
many crashed (an exception escaped), hung (took longer than the time limits allow) or got the
finding expected. ``kill_trial`` (:mod:`testkit.reliability.kill`) kills ``pipeline run`` again
and again and checks nothing was lost, duplicated or half written. ``mailbox_soak``
(:mod:`testkit.reliability.mailbox_soak`) does the same to ``pipeline poll`` against a real
Dovecot, with server restarts, UIDVALIDITY resets and a poison email. ``main`` runs all three
and returns the Markdown tables for the README.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import DEFAULT_CONFIG, Config, load_config
from pipeline.models import Submission
from pipeline.runner import handle, open_context, run_inbox, write_reports
from pipeline.sources.folder import FolderSource
from pipeline.worker_clock import WALL_TIMES
from testkit.reliability.config_file import with_paths
from testkit.reliability.dovecot import NoDovecot
from testkit.reliability.hostile import corpus, write_corpus
from testkit.reliability.kill import KillResult, kill_trial
from testkit.reliability.mailbox_soak import SoakResult, mailbox_soak
from testkit.reliability.raw_mail import Hostile
from testkit.samples import generate

__all__ = ["HostileResult", "KillResult", "hostile_trial", "kill_trial", "main"]


@dataclass(frozen=True)
class KindResult:
    kind: str
    group: str
    tried: int = 0
    crashed: int = 0
    hung: int = 0
    as_expected: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class HostileResult:
    kinds: tuple[KindResult, ...]
    clean_tried: int
    clean_crashed: int
    clean_normal: int  # clean emails processed with no unreadable or blocked finding
    rerun_ok: bool  # a whole `run` over the same inbox afterwards completed
    problems: tuple[str, ...]  # one line per surprise, naming the kind

    def total(self, field: str) -> int:
        return sum(int(getattr(k, field)) for k in self.kinds)


def hostile_trial(config: Config, out: Path, *, huge: bool = True) -> HostileResult:
    """Run the hostile corpus, mixed with as many clean emails, through the pipeline."""
    trial = with_paths(config, out)
    inbox = trial.paths.inbox
    kinds = corpus(trial, huge=huge)
    clean = {p.name for p in generate(inbox, trial, seed=41, clean=len(kinds))}
    written = write_corpus(inbox, kinds)
    bound = WALL_TIMES * trial.intake.parse_timeout_seconds + 30  # the clock's backstop
    results = {h.kind: KindResult(h.kind, h.group) for h in kinds}
    problems: list[str] = []
    clean_normal = clean_crashed = 0
    with open_context(trial) as ctx:
        source = FolderSource(inbox, trial.intake)
        for incoming in source.pending():
            hostile = written.get(incoming.ref)
            started = time.monotonic()
            try:
                submissions = handle(incoming, source, ctx)
                error = ""
            except Exception as exc:  # the point of the trial: nothing may escape
                submissions, error = None, type(exc).__name__
            seconds = time.monotonic() - started
            if hostile is None:
                clean_normal += incoming.ref in clean and _normal(submissions)
                if error:
                    clean_crashed += 1
                    problems.append(f"clean email {incoming.ref}: {error}")
                continue
            verdict = _verdict(hostile, submissions)
            if error or verdict or seconds > bound:
                problems.append(f"{hostile.kind}: {error or verdict or f'{seconds:.0f}s'}")
            before = results[hostile.kind]
            results[hostile.kind] = KindResult(
                hostile.kind,
                hostile.group,
                tried=before.tried + 1,
                crashed=before.crashed + bool(error),
                hung=before.hung + (seconds > bound),
                as_expected=before.as_expected + (not error and not verdict),
                seconds=before.seconds + seconds,
            )
        write_reports(ctx)
        try:
            rerun_ok = run_inbox(ctx).processed == 0
        except Exception as exc:
            rerun_ok = False
            problems.append(f"second run: {type(exc).__name__}")
    return HostileResult(
        kinds=tuple(results.values()),
        clean_tried=len(clean),
        clean_crashed=clean_crashed,
        clean_normal=clean_normal,
        rerun_ok=rerun_ok,
        problems=tuple(problems),
    )


def _verdict(hostile: Hostile, submissions: tuple[Submission, ...] | None) -> str:
    """'' when the email got what it should; else what was wrong."""
    if submissions is None:
        return "not processed (taken for one seen before)"
    findings = [f for s in submissions for f in s.findings]
    codes = {f.code for f in findings}
    missing = [code for code in hostile.expect if code not in codes]
    if missing:
        return f"no {', '.join(missing)} (got {', '.join(sorted(codes)) or 'none'})"
    wanted = [f for f in findings if f.code in hostile.expect] if hostile.expect else findings
    if hostile.says and not any(hostile.says in f.message for f in wanted):
        return f"no finding says {hostile.says!r}"
    if hostile.never_opened and not any(
        d.kind == "blocked" for s in submissions for d in s.documents
    ):
        return "the blocked file was not kept unopened"
    return ""


def _normal(submissions: tuple[Submission, ...] | None) -> bool:
    if not submissions:
        return False
    codes = {f.code for s in submissions for f in s.findings}
    return not codes & {"unreadable_document", "blocked_file_type"}


def reliability_table(hostile: HostileResult, kill: KillResult) -> str:
    """The Markdown table for the README."""
    groups: dict[str, list[KindResult]] = {}
    for kind in hostile.kinds:
        groups.setdefault(kind.group, []).append(kind)
    rows = [
        "| trial | kinds | tried | crashed | hung | as expected |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for group, kinds in groups.items():
        rows.append(
            f"| hostile: {group} | {len(kinds)} | {sum(k.tried for k in kinds)} | "
            f"{sum(k.crashed for k in kinds)} | {sum(k.hung for k in kinds)} | "
            f"{sum(k.as_expected for k in kinds)} |"
        )
    rows.append(
        f"| clean emails between them | 1 | {hostile.clean_tried} | {hostile.clean_crashed} | "
        f"0 | {hostile.clean_normal} |"
    )
    rows += [
        "",
        "| kill trial | emails | SIGKILLs | runs | lost | duplicated | half-written | integrity |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| `pipeline run` killed at random | {kill.emails} | {kill.kills} | {kill.runs} | "
        f"{kill.lost} | {kill.duplicated} | {kill.half_written} | {kill.integrity} |",
    ]
    return "\n".join(rows)


def main(out: Path, quick: bool, config_path: Path = DEFAULT_CONFIG) -> str:
    """Both trials under ``out`` with the shipped configuration; the table. ``quick`` is the
    CI size (no over-size attachment, 150 emails and 12 kills instead of 300 and 20)."""
    config = load_config(config_path)
    hostile = hostile_trial(config, out / "hostile", huge=not quick)
    emails, kills = (150, 12) if quick else (300, 20)
    kill = kill_trial(config, out / "kill", emails=emails, kills=kills, seed=2025)
    soak: SoakResult | str
    try:
        soak = mailbox_soak(config, out / "mailbox", emails=emails, kills=kills)
    except NoDovecot as missing:
        soak = str(missing)
    return "\n".join([reliability_table(hostile, kill), *soak_rows(soak)])


def soak_rows(result: SoakResult | str) -> list[str]:
    """The README's table of the soak; ``result`` is the reason when it could not run."""
    head = [
        "",
        "| mailbox soak (Dovecot) | emails | SIGKILLs | server restarts | UIDVALIDITY resets | "
        "polls | lost | duplicated | drafts present once | poison email | over-size email | "
        "integrity |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    if isinstance(result, str):
        return [*head, f"| not run: {result} | | | | | | | | | | | |"]
    drafts = result.drafts_expected - result.drafts_missing
    return [
        *head,
        f"| `pipeline poll` disturbed at random | {result.emails} | {result.kills} | "
        f"{result.restarts} | {result.resets} | {result.polls} | {result.lost} | "
        f"{result.duplicated + result.drafts_duplicated} | {drafts} of {result.drafts_expected} | "
        f"quarantined: {result.poison} | quarantined: {result.oversize} | {result.integrity} |",
    ]
