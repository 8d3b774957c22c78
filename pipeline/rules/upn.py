"""UPN (DfE Unique Pupil Number) and ULN (Unique Learner Number) checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.gb import upn as stdnum_upn


@dataclass(frozen=True)
class PupilNumber:
    number: str
    kind: str  # "UPN" or "ULN"
    problem: str | None = None
    la_number: int | None = None


def check_pupil_number(text: str) -> PupilNumber:
    number = re.sub(r"[\s-]", "", text).upper()
    if number.isdigit() and len(number) == 10:
        return _check_uln(number)
    try:
        stdnum_upn.validate(number)
    except InvalidLength:
        return PupilNumber(
            number,
            "UPN",
            f"'{text}' is not 13 characters long (a UPN is a "
            "letter followed by 12 characters; a ULN is 10 digits)",
        )
    except InvalidChecksum:
        return PupilNumber(
            number,
            "UPN",
            f"'{text}' has the wrong check letter; please copy the UPN again from the school's MIS",
        )
    except InvalidComponent:
        return PupilNumber(
            number, "UPN", f"'{text}' does not start with a real local authority number"
        )
    except ValidationError:
        return PupilNumber(
            number,
            "UPN",
            f"'{text}' is not in the UPN format (a letter, 11 digits, then a digit or letter)",
        )
    return PupilNumber(number, "UPN", la_number=int(number[1:4]))


def _check_uln(number: str) -> PupilNumber:
    """ULN: ten digits, the last a check digit (weights 10..2, 10 - sum mod 11)."""
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 10 - total % 11
    if check == 10 or int(number[9]) != check:
        return PupilNumber(
            number, "ULN", f"'{number}' is not a valid ULN (its check digit is wrong)"
        )
    return PupilNumber(number, "ULN")
