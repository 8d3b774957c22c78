"""The value types of the cluster's forms: how a school's writing becomes a typed value.

Each type is an ``Annotated`` pydantic type whose ``BeforeValidator`` reads the many ways a
school writes a value (SPEC section 4; the parsers live in :mod:`schemas.text`,
:mod:`schemas.dates`, :mod:`schemas.money`, :mod:`schemas.numbers`, :mod:`schemas.yesno` and
:mod:`schemas.choices`), whose ``Kind`` marker says which SPEC type it is and, for a choice,
whose ``Choices`` marker lists the options. The same validators read a value back from the
register's JSON, so a stored form is rebuilt by validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from schemas.choices import (
    IMPROVEMENT_TYPES,
    NEED_AREAS,
    REVIEW_RECOMMENDATIONS,
    SEN_STATUSES,
    YEAR_GROUPS,
    at_least_one,
    match_choice,
    parse_ticked_choices,
)
from schemas.dates import parse_uk_date
from schemas.money import parse_money
from schemas.numbers import parse_int, parse_number, parse_percent
from schemas.text import (
    blank,
    clean_text,
    parse_email,
    parse_list,
    parse_longtext,
    parse_setting_names,
    parse_text,
)
from schemas.yesno import parse_yesno

__all__ = [
    "IMPROVEMENT_TYPES",
    "NEED_AREAS",
    "REVIEW_RECOMMENDATIONS",
    "SEN_STATUSES",
    "YEAR_GROUPS",
    "Choices",
    "Kind",
    "RawValue",
    "Value",
    "blank",
    "clean_text",
    "match_choice",
    "parse_money",
    "parse_uk_date",
    "parse_yesno",
]

# What a reader can hand over for one field: a cell's text or a spreadsheet's typed value.
RawValue = str | int | float | bool | date | None
# What a form field holds once read.
Value = str | int | float | Decimal | bool | date | tuple[str, ...]


class Kind(StrEnum):
    text = "text"
    longtext = "longtext"
    date = "date"
    money = "money"
    int = "int"
    number = "number"
    percent = "percent"
    yesno = "yesno"
    choice = "choice"
    email = "email"
    list = "list"


@dataclass(frozen=True)
class Choices:
    """The options of a choice field, as metadata beside its validator."""

    options: tuple[str, ...]


def _choice(choices: tuple[str, ...]) -> BeforeValidator:
    return BeforeValidator(lambda raw: match_choice(raw, choices))


def _ticked_choices(choices: tuple[str, ...]) -> BeforeValidator:
    return BeforeValidator(lambda raw: parse_ticked_choices(raw, choices))


Text = Annotated[str, Kind.text, BeforeValidator(parse_text)]
LongText = Annotated[str, Kind.longtext, BeforeValidator(parse_longtext)]
UKDate = Annotated[date, Kind.date, BeforeValidator(parse_uk_date)]
Money = Annotated[Decimal, Kind.money, BeforeValidator(parse_money)]
Int = Annotated[int, Kind.int, BeforeValidator(parse_int)]
Number = Annotated[float, Kind.number, BeforeValidator(parse_number)]
Percent = Annotated[float, Kind.percent, BeforeValidator(parse_percent)]
YesNo = Annotated[bool, Kind.yesno, BeforeValidator(parse_yesno)]
Email = Annotated[str, Kind.email, BeforeValidator(parse_email)]
TextList = Annotated[tuple[str, ...], Kind.list, BeforeValidator(parse_list)]
SettingNames = Annotated[tuple[str, ...], Kind.list, BeforeValidator(parse_setting_names)]
YearGroup = Annotated[str, Kind.choice, Choices(YEAR_GROUPS), _choice(YEAR_GROUPS)]
SenStatus = Annotated[str, Kind.choice, Choices(SEN_STATUSES), _choice(SEN_STATUSES)]
NeedArea = Annotated[str, Kind.choice, Choices(NEED_AREAS), _choice(NEED_AREAS)]
Recommendation = Annotated[
    str, Kind.choice, Choices(REVIEW_RECOMMENDATIONS), _choice(REVIEW_RECOMMENDATIONS)
]
ImprovementTypes = Annotated[
    tuple[str, ...],
    Kind.list,
    Choices(IMPROVEMENT_TYPES),
    _ticked_choices(IMPROVEMENT_TYPES),
    AfterValidator(at_least_one),
]
