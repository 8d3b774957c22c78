"""Money: pounds as exact ``Decimal`` pennies, the one rounding rule and the one tolerance.

Amounts are read from text ('£1,234.50') or from a spreadsheet's numbers and kept as
``Decimal`` so that adding up lines never drifts by a fraction of a penny.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from schemas.text import clean_text

PENNY = Decimal("0.01")
# Two amounts that differ by no more than this are the same amount: schools round their
# lines and totals to the pound, so the cluster does not query a difference of pennies.
MONEY_TOLERANCE = Decimal("1.00")

_MONEY = re.compile(r"^-?£?\s*-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?£?\s*-?\d+(\.\d+)?$")


def pennies(amount: Decimal | int | float) -> Decimal:
    """The amount rounded to the penny, halves away from zero: the only rounding of money."""
    exact = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
    return exact.quantize(PENNY, rounding=ROUND_HALF_UP)


def same_amount(a: Decimal, b: Decimal) -> bool:
    """Equal within :data:`MONEY_TOLERANCE`."""
    return abs(a - b) <= MONEY_TOLERANCE


def parse_money(raw: object) -> Decimal:
    """Pounds: '£1,234.50' and '1234.5' are fine, '£1.2k' is not."""
    if isinstance(raw, bool):
        raise ValueError("is not an amount of money")
    if isinstance(raw, int | float | Decimal):
        return pennies(raw)
    text = clean_text(str(raw)).replace("GBP", "£").replace(" ", "")
    if text.endswith((".00p", "p")) and not text.startswith("£"):
        raise ValueError(f"'{raw}' is not an amount in pounds; write it like £1,234.50")
    if not _MONEY.match(text):
        raise ValueError(
            f"'{clean_text(str(raw))}' is not an amount in pounds; write it like £1,234.50"
        )
    return pennies(Decimal(text.replace("£", "").replace(",", "")))


def pounds(amount: Decimal) -> str:
    """£1,234.50, and -£20.00 for a negative amount: how every sentence writes money."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
