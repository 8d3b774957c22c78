"""The true values behind each corpus document, how a school writes them, and as JSON.

The IPN referral's values come from the sample generator (:func:`make_referral`); any other
form gets fictional values generated from its schema, field by field, by the field's Kind,
so a form kind registered in ``schemas.FORMS`` is covered without code here.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from pipeline.config import Config
from schemas import FieldSpec, Form, IpnReferral, specs
from schemas.types import Kind
from testkit.samples import make_referral, people
from testkit.samples.word import format_value

Value = date | bool | int | float | str | tuple[str, ...] | None
Truth = dict[str, Value]

SENTENCES = (
    "The school has tracked progress carefully over the last two terms with termly reviews.",
    "Staff have noticed that small group work helps pupils settle and join in with learning.",
    "Families have been involved in every review meeting and agree with the plan proposed.",
    "The additional support will be delivered by trained staff and reviewed every half term.",
    "Outcomes will be measured against baseline assessments taken at the start of the work.",
    "Pupils will have calmer transitions between lessons and fewer incidents at lunchtime.",
    "The setting will keep the resources and the trained staff once the funding has ended.",
    "Advice from the specialist teaching service has shaped the targets in this request.",
)
TITLES = ("Calm spaces for learning", "Talk for all", "Outdoor sensory garden", "Safe lunchtimes")
OPTIONAL_BLANK_SHARE = 0.3


def truth_for(form: type[Form], rng: random.Random, config: Config) -> Truth:
    """A form's true values by field id; None is a field left blank (only optional ones)."""
    if form is IpnReferral:
        referral = make_referral(rng, config)
        return {**referral.values, "setting_name": referral.setting_as_written}
    truth: Truth = {}
    for spec in specs(form):
        if not spec.required and rng.random() < OPTIONAL_BLANK_SHARE:
            truth[spec.id] = None
        else:
            truth[spec.id] = fictional_value(spec, rng, config)
    return truth


def fictional_value(spec: FieldSpec, rng: random.Random, config: Config) -> Value:
    """A made-up value of the field's Kind, shaped by what its id says it is."""
    if spec.kind is Kind.text:
        return _text(spec, rng, config)
    if spec.kind is Kind.longtext:
        return "\n".join(" ".join(rng.sample(SENTENCES, k=2)) for _ in range(rng.randint(1, 2)))
    if spec.kind is Kind.date:
        return date(2015, 9, 1) + timedelta(days=rng.randint(0, 3900))
    if spec.kind is Kind.money:
        return round(rng.uniform(500, 14000), 2)
    if spec.kind in (Kind.int, Kind.number):
        return rng.randint(0, 40)
    if spec.kind is Kind.percent:
        return float(rng.randint(60, 100))
    if spec.kind is Kind.yesno:
        return rng.random() < 0.7
    if spec.kind is Kind.email:
        first, last = people.staff_name(rng)
        return f"{people.email_local_part(first, last)}@school.sch.example"
    if spec.kind is Kind.choice:
        return rng.choice(spec.choices)
    return _list(spec, rng, config)


def _text(spec: FieldSpec, rng: random.Random, config: Config) -> str:
    if "setting" in spec.id:
        return rng.choice(config.settings).name
    if spec.id.endswith("name"):
        return " ".join(people.staff_name(rng))
    if "signature" in spec.id:
        first, last = people.staff_name(rng)
        return f"{first[0]}. {last}"
    if "ref" in spec.id:
        return f"CC-2526-{rng.randint(1, 120):04d}"
    if "title" in spec.id:
        return rng.choice(TITLES)
    if "phone" in spec.id:
        return f"01782 {rng.randint(200000, 999999)}"
    return f"{spec.label.split()[0]} {rng.randint(10, 99)}"


def _list(spec: FieldSpec, rng: random.Random, config: Config) -> tuple[str, ...]:
    if spec.choices:
        options: list[str] = list(spec.choices)
    else:  # names written in a list: ones without ' and ' or commas, which split an item
        options = [s.name for s in config.settings if not re.search(r",| and ", s.name)]
    return tuple(rng.sample(options, k=rng.randint(1, min(3, len(options)))))


# --- writing a value the way a school does ------------------------------------------------

YESNO_STYLES = {
    "words": ("Yes", "No"),
    "boxes-before": ("☒ Yes   ☐ No", "☐ Yes   ☒ No"),
    "boxes-after": ("Yes ☒   No ☐", "Yes ☐   No ☒"),
    "typed-x": ("Yes [X]   No [ ]", "Yes [ ]   No [X]"),
}


def written(
    spec: FieldSpec, value: Value, *, yesno: str = "words", long_dates: bool = False
) -> str:
    """A true value as a school types it in the box beside the label."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, bool):
        return YESNO_STYLES[yesno][0 if value else 1]
    if isinstance(value, date) and long_dates:
        return f"{value.day} {value:%B %Y}"
    return format_value(value, spec.kind)


def expected_json(truth: Truth) -> dict[str, Any]:
    """The normalised values the pipeline should read (SPEC section 6): blanks left out."""
    return {field: as_json(value) for field, value in truth.items() if value is not None}


def as_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [as_json(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value
