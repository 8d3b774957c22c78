"""Pupil identity rules: UPN, age, year group, and agreement between a request's documents."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import RuleContext, finding, uk
from pipeline.rules.upn import check_pupil_number
from schemas import ProvisionMap, PupilAndSetting, PupilForm
from schemas.about import date_of_birth_of, pupil_name_of, upn_of
from schemas.codes import RuleCode
from schemas.fieldref import field_ref
from schemas.names import fold_name
from schemas.types import YEAR_GROUPS

MIN_AGE, MAX_AGE = 2, 25
NAME_MATCH = 85
UPN = field_ref(PupilAndSetting, lambda f: f.upn)
DATE_OF_BIRTH = field_ref(PupilAndSetting, lambda f: f.date_of_birth)
YEAR_GROUP = field_ref(PupilAndSetting, lambda f: f.year_group)
# The pupil's name as the forms that hold it in one field name it (the others split it in two).
PUPIL_NAME = field_ref(ProvisionMap, lambda f: f.pupil_name)


def check_pupil(form: ExtractedDocument, ctx: RuleContext) -> list[Finding]:
    pupil = form.form
    if not isinstance(pupil, PupilForm):
        return []
    return [*_upn(pupil, form, ctx), *_age_and_year(pupil, form, ctx)]


def _upn(pupil: PupilForm, form: ExtractedDocument, ctx: RuleContext) -> Iterator[Finding]:
    if not pupil.upn:
        return
    checked = check_pupil_number(pupil.upn)
    where = dict(field=UPN.id, document=form.filename)
    if checked.problem:
        yield finding(RuleCode.invalid_upn, kind=checked.kind, problem=checked.problem, **where)
    elif checked.la_number and checked.la_number != ctx.config.cluster.la_number:
        yield finding(
            RuleCode.upn_other_la,
            issued_by=checked.la_number,
            ours=ctx.config.cluster.la_number,
            **where,
        )


def _age_and_year(pupil: PupilForm, form: ExtractedDocument, ctx: RuleContext) -> Iterator[Finding]:
    born = pupil.date_of_birth
    if born is None:
        return
    on = pupil.declaration_date or ctx.received
    age = relativedelta(on, born).years
    where = dict(document=form.filename)
    if age < MIN_AGE or age > MAX_AGE:
        yield finding(
            RuleCode.age_out_of_range,
            born=uk(born),
            age=age,
            on=uk(on),
            youngest=MIN_AGE,
            oldest=MAX_AGE,
            field=DATE_OF_BIRTH.id,
            **where,
        )
        return
    stated = pupil.year_group
    expected = expected_year_group(born, on)
    if stated and expected and stated != expected:
        yield finding(
            RuleCode.year_group_mismatch,
            stated=stated,
            born=uk(born),
            expected=expected,
            on=uk(on),
            field=YEAR_GROUP.id,
            **where,
        )


def expected_year_group(born: date, on: date) -> str | None:
    """The National Curriculum year group on a date, by the English 31 August cut-off."""
    start_year = on.year if on.month >= 9 else on.year - 1
    age_at_cutoff = start_year - born.year - (1 if (born.month, born.day) > (8, 31) else 0)
    index = age_at_cutoff - 3  # 3 -> Nursery, 4 -> Reception, 5 -> Year 1
    return YEAR_GROUPS[index] if 0 <= index < len(YEAR_GROUPS) else None


def check_identity(documents: Sequence[ExtractedDocument]) -> list[Finding]:
    """The pupil's name, UPN and date of birth must agree across a request's documents."""
    pupils = [d for d in documents if date_of_birth_of(d.form) or upn_of(d.form)]
    if len(pupils) < 2:
        return []
    base, findings = pupils[0], list[Finding]()
    for other in pupils[1:]:
        findings.extend(_compare(base, other))
    return findings


def _compare(a: ExtractedDocument, b: ExtractedDocument) -> Iterator[Finding]:
    differences = []
    upn_a, upn_b = upn_of(a.form), upn_of(b.form)
    if upn_a and upn_b and _compact(upn_a) != _compact(upn_b):
        differences.append((UPN.id, "UPN"))
    born_a, born_b = date_of_birth_of(a.form), date_of_birth_of(b.form)
    if born_a and born_b and born_a != born_b:
        differences.append((DATE_OF_BIRTH.id, "date of birth"))
    name_a, name_b = pupil_name_of(a.form), pupil_name_of(b.form)
    if (
        name_a
        and name_b
        and fuzz.token_sort_ratio(fold_name(name_a), fold_name(name_b)) < NAME_MATCH
    ):
        differences.append((PUPIL_NAME.id, "pupil's name"))
    for field, words in differences:
        yield finding(
            RuleCode.identity_mismatch,
            what=words,
            later=b.filename,
            first=a.filename,
            field=field,
            document=b.filename,
        )


def _compact(upn: str) -> str:
    return upn.replace(" ", "").upper()
