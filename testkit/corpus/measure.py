"""How well the pipeline reads the corpus: field by field, per form kind and layout.

Every corpus document goes through the real readers, the classifier and the extractors,
exactly as an attachment does, and each field is compared with its expected value
(normalised: text by its words, numbers to the penny, lists as sets, dates as ISO).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from pipeline.extract.classify import classify
from pipeline.extract.form import extract_form
from pipeline.extract.provision_map import extract_provision_map
from pipeline.models import ExtractedDocument
from pipeline.read import Unreadable, read_document
from schemas import FORMS, ProvisionLine, ProvisionMap, filled, specs
from schemas.types import Value
from testkit.corpus.values import as_json

KIND_FIELD = "(kind)"


class Miss(BaseModel):
    model_config = ConfigDict(frozen=True)

    document: str
    field: str
    expected: Any
    got: Any


class LayoutScore(BaseModel):
    """One form kind in one layout: how many fields were read right."""

    model_config = ConfigDict(frozen=True)

    kind: str
    layout: str
    documents: int
    fields_expected: int
    fields_correct: int
    misses: tuple[Miss, ...]
    formats: tuple[str, ...] = ()

    @property
    def accuracy(self) -> float:
        return 100.0 * self.fields_correct / self.fields_expected if self.fields_expected else 0.0

    def field_accuracy(self, field: str) -> float:
        """Percent of documents whose ``field`` was read right."""
        missed = sum(1 for miss in self.misses if miss.field == field)
        return 100.0 * (self.documents - missed) / self.documents if self.documents else 0.0


class AccuracyReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    scores: tuple[LayoutScore, ...]

    def score(self, kind: str, layout: str) -> LayoutScore:
        return next(s for s in self.scores if s.kind == kind and s.layout == layout)


class _Scored(BaseModel):
    compared: int
    correct: int
    misses: list[Miss]
    format: str


def measure_accuracy(folder: Path) -> AccuracyReport:
    """Read every corpus document under ``folder`` and compare it with its expected values."""
    groups: dict[tuple[str, str], list[_Scored]] = {}
    for expected_path in sorted(folder.glob("*/*/*.expected.json")):
        expected = json.loads(expected_path.read_text())
        stem = expected_path.name.removesuffix(".expected.json")
        document = next(
            p for p in expected_path.parent.glob(f"{stem}.*") if not p.name.endswith(".json")
        )
        key = (expected["kind"], expected["layout"])
        groups.setdefault(key, []).append(_score_document(document, expected))
    return AccuracyReport(scores=tuple(_layout_score(k, v) for k, v in sorted(groups.items())))


def _layout_score(key: tuple[str, str], results: list[_Scored]) -> LayoutScore:
    return LayoutScore(
        kind=key[0],
        layout=key[1],
        documents=len(results),
        fields_expected=sum(r.compared for r in results),
        fields_correct=sum(r.correct for r in results),
        misses=tuple(m for r in results for m in r.misses),
        formats=tuple(sorted({r.format for r in results})),
    )


def _score_document(path: Path, expected: dict[str, Any]) -> _Scored:
    """Fields compared and read right, the misses, and the format the reader reported."""
    name = f"{path.parent.name}/{path.name}"
    got, kind, form = _read(path)
    wanted = _expected_values(expected)
    if kind != expected["kind"]:  # misclassified: none of its fields counts as read
        miss = Miss(document=name, field=KIND_FIELD, expected=expected["kind"], got=kind)
        return _Scored(compared=len(wanted), correct=0, misses=[miss], format=form)
    misses = [
        Miss(document=name, field=field, expected=value, got=got.get(field))
        for field, value in wanted.items()
        if not same(value, got.get(field))
    ]
    return _Scored(
        compared=len(wanted), correct=len(wanted) - len(misses), misses=misses, format=form
    )


def _read(path: Path) -> tuple[dict[str, Any], str, str]:
    """The values read from a document, the kind it was classified as, and its format."""
    data = path.read_bytes()
    try:
        read = read_document(data, path.name, hashlib.sha256(data).hexdigest())
    except Unreadable:
        return {}, "unreadable", "unreadable"
    if read is None:
        return {}, "unread", "unread"
    kind = classify(read)
    if kind == ProvisionMap.kind:
        return _values(extract_provision_map(read)), kind, read.format
    if kind in FORMS:
        return _values(extract_form(read, FORMS[kind])), kind, read.format
    return {}, kind, read.format


def _values(document: ExtractedDocument) -> dict[str, Any]:
    found = filled(document.form) if document.form is not None else iter(())
    values = {f: _json(v) for f, v in found}
    for i, line in enumerate(document.lines):
        for column, value in filled(line.values):
            values[f"lines[{i}].{column}"] = _json(value)
    return values


def _json(value: Value) -> Any:
    return as_json(float(value) if isinstance(value, Decimal) else value)


def _expected_values(expected: dict[str, Any]) -> dict[str, Any]:
    """Every field of the form, expected value or None (a field that must read as empty)."""
    form = FORMS[expected["kind"]]
    wanted: dict[str, Any] = {spec.id: expected["fields"].get(spec.id) for spec in specs(form)}
    columns = [spec.id for spec in specs(ProvisionLine)]
    for i, line in enumerate(expected.get("lines", [])):
        wanted.update({f"lines[{i}].{c}": as_json(line.get(c)) for c in columns})
    return wanted


def same(expected: Any, got: Any) -> bool:
    if isinstance(expected, str) and isinstance(got, str):
        return expected.split() == got.split()
    if isinstance(expected, list) and isinstance(got, list):
        return {" ".join(str(e).split()) for e in expected} == {
            " ".join(str(g).split()) for g in got
        }
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(expected - got) < 0.005
    return bool(expected == got)
