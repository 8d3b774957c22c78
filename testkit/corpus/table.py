"""The accuracy report as Markdown: a row per form kind and layout, a column per axis, and
for scans the identity fields and the amount requested one by one.

The SPEC's bar for scans is all of the identity fields and the amount requested, so each has
its own column there: a miss on a pupil's date of birth is never hidden in a 95% average.
"""

from __future__ import annotations

from testkit.corpus.axes import AXIS_COLUMNS, axis_values, is_scan
from testkit.corpus.measure import AccuracyReport, LayoutScore

IDENTITY_AND_AMOUNT = (
    ("setting_name", "setting"),
    ("pupil_forename", "forename"),
    ("pupil_surname", "surname"),
    ("date_of_birth", "date of birth"),
    ("upn", "UPN"),
    ("amount_requested", "amount requested"),
)
NOT_VARIED = "·"


def accuracy_table(report: AccuracyReport) -> str:
    """Both tables, the layouts one under the other, then the scans' identity fields."""
    return f"{layouts_table(report)}\n\n{identity_table(report)}"


def layouts_table(report: AccuracyReport) -> str:
    columns = ["form kind", "layout", *AXIS_COLUMNS, "documents", "fields", "correct", "accuracy"]
    lines = [_row(columns), _row(["---", "---", *("---" for _ in AXIS_COLUMNS), *["---:"] * 4])]
    for s in report.scores:
        axes = axis_values(s.layout)
        lines.append(
            _row(
                [
                    s.kind,
                    s.layout,
                    *(axes.get(axis, NOT_VARIED) for axis in AXIS_COLUMNS),
                    str(s.documents),
                    str(s.fields_expected),
                    str(s.fields_correct),
                    f"{s.accuracy:.1f}%",
                ]
            )
        )
    total = sum(s.fields_expected for s in report.scores)
    correct = sum(s.fields_correct for s in report.scores)
    documents = sum(s.documents for s in report.scores)
    share = 100.0 * correct / total if total else 0.0
    blanks = ["" for _ in AXIS_COLUMNS]
    lines.append(
        _row(["**all**", "", *blanks, str(documents), str(total), str(correct), f"{share:.1f}%"])
    )
    return "\n".join(lines)


def identity_table(report: AccuracyReport) -> str:
    """Per scanned layout: the share of documents whose each identity field and amount was
    read right, beside the share of all fields."""
    names = [name for _, name in IDENTITY_AND_AMOUNT]
    lines = [
        _row(["scanned layout", "resolution", *names, "all fields"]),
        _row(["---", "---", *["---:"] * (len(names) + 1)]),
    ]
    for s in scans(report):
        fields = [f"{s.field_accuracy(field):.0f}%" for field, _ in IDENTITY_AND_AMOUNT]
        resolution = axis_values(s.layout).get("resolution", NOT_VARIED)
        lines.append(_row([s.layout, resolution, *fields, f"{s.accuracy:.1f}%"]))
    return "\n".join(lines)


def scans(report: AccuracyReport) -> list[LayoutScore]:
    return [s for s in report.scores if is_scan(s.layout)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
