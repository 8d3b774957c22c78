"""The layout corpus: every form kind in every layout a school uses, with expected values.

``generate_corpus(folder, config)`` writes the documents, ``measure_accuracy(folder)`` reads
them through the real pipeline and scores it field by field, ``accuracy_table(report)`` prints
the score as Markdown (the ``pipeline accuracy`` command).
"""

from testkit.corpus.generate import FORM_LAYOUTS, SCANNED, generate_corpus
from testkit.corpus.measure import (
    AccuracyReport,
    LayoutScore,
    Miss,
    measure_accuracy,
)
from testkit.corpus.table import accuracy_table

__all__ = [
    "FORM_LAYOUTS",
    "SCANNED",
    "AccuracyReport",
    "LayoutScore",
    "Miss",
    "accuracy_table",
    "generate_corpus",
    "measure_accuracy",
]
