"""The capital round's scores, each bid's steps to payment, and the cluster's own counts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from pipeline.register.base import now
from pipeline.register.lifecycle import LifecycleQueries
from pipeline.round_records import (
    BidScore,
    CapitalStep,
    ClusterCount,
    ClusterMeasure,
    ProgressEntry,
)


class CapitalQueries(LifecycleQueries):
    def save_scores(self, scores: Sequence[BidScore], source: str, by: str) -> int:
        """Record the scoring sheet's scores in one transaction; the same sheet again changes
        nothing. Returns how many changed."""
        changed = 0
        with self._transaction():
            for score in scores:
                if self.bid_score(score.case_ref) == score:
                    continue
                self._db.execute(
                    "INSERT OR REPLACE INTO capital_scores VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        score.case_ref,
                        score.meeting.isoformat(),
                        score.reviewers,
                        json.dumps(score.scores, sort_keys=True),
                        score.total,
                        source,
                        now(),
                    ),
                )
                changed += 1
            if changed:
                self.audit(by, "import_scores", f"{changed} bid score(s) from {source}")
        return changed

    def bid_score(self, case_ref: str) -> BidScore | None:
        row = self._db.execute(
            "SELECT case_ref, meeting, reviewers, scores FROM capital_scores WHERE case_ref = ?",
            (case_ref,),
        ).fetchone()
        return _score(row) if row else None

    def bid_scores(self) -> list[BidScore]:
        rows = self._db.execute(
            "SELECT case_ref, meeting, reviewers, scores FROM capital_scores ORDER BY case_ref"
        )
        return [_score(row) for row in rows]

    def record_progress(self, entry: ProgressEntry) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO capital_progress VALUES (?, ?, ?, ?, ?, ?)",
                (
                    entry.case_ref,
                    entry.step.value,
                    entry.on.isoformat(),
                    entry.note,
                    entry.by,
                    now(),
                ),
            )
            self.audit(
                entry.by,
                "capital_progress",
                f"{entry.case_ref}: {entry.step.value} on {entry.on.isoformat()}",
            )
            if entry.step is CapitalStep.evaluated:  # the seeds' last step: the bid is done
                self.close_case(entry.case_ref, None, "evaluation of impact recorded", entry.by)

    def progress(self, case_ref: str | None = None) -> list[ProgressEntry]:
        """Every bid's recorded steps (or one bid's), in the seeds' order of the steps."""
        rows = self._db.execute(
            "SELECT case_ref, step, on_date, note, by FROM capital_progress"
            + (" WHERE case_ref = ?" if case_ref else ""),
            (case_ref,) if case_ref else (),
        )
        entries = [
            ProgressEntry(
                case_ref=str(ref),
                step=CapitalStep(str(step)),
                on=date.fromisoformat(str(on)),
                note=str(note),
                by=str(by),
            )
            for ref, step, on, note, by in rows
        ]
        order = list(CapitalStep)
        return sorted(entries, key=lambda e: (e.case_ref, order.index(e.step)))

    def record_count(self, count: ClusterCount) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO cluster_counts (measure, count, on_date, note, by, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    count.measure.value,
                    count.count,
                    count.on.isoformat(),
                    count.note,
                    count.by,
                    now(),
                ),
            )
            self.audit(
                count.by,
                "cluster_count",
                f"{count.measure.value}: {count.count} on {count.on.isoformat()}",
            )

    def cluster_counts(self) -> list[ClusterCount]:
        rows = self._db.execute(
            "SELECT measure, count, on_date, note, by FROM cluster_counts ORDER BY on_date, id"
        )
        return [
            ClusterCount(
                measure=ClusterMeasure(str(measure)),
                count=int(count),
                on=date.fromisoformat(str(on)),
                note=str(note),
                by=str(by),
            )
            for measure, count, on, note, by in rows
        ]


def _score(row: Sequence[object]) -> BidScore:
    case_ref, meeting, reviewers, scores = row
    return BidScore(
        case_ref=str(case_ref),
        meeting=date.fromisoformat(str(meeting)),
        reviewers=str(reviewers),
        scores={str(k): int(v) for k, v in json.loads(str(scores)).items()},
    )
