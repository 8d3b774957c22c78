"""A fillable PDF's form fields -> one single-row grid per field: label | value.

A field's label is its tooltip (``/TU``), when the form's author gave one, and its name
(``Date of birth``): the row is ``tooltip | value | name | value``, so whichever carries the
printed label is found, and a field's grid of its own keeps an empty value from being taken
from the field below. Check boxes read as ☒ or ☐; a radio group reads as its chosen option.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader

from pipeline.models import Cell, Grid

FIELD_TYPES = ("/Tx", "/Btn", "/Ch")
RADIO_FLAG = 1 << 15
NOT_CHOSEN = {"", "/Off", "Off"}
OPTION_WORDS = {"yes", "no", "y", "n", "true", "false"}


def form_grids(reader: PdfReader) -> list[Grid]:
    """The form fields of a fillable PDF (none for a PDF that is not a form)."""
    grids = []
    for qualified, field in (reader.get_fields() or {}).items():
        if field.get("/FT") not in FIELD_TYPES or ("/Kids" in field and _is_parent(field)):
            continue
        value = _value_text(field)
        location = f"form field '{qualified}'"
        cells: list[Cell] = []
        for label in _labels(qualified, field):
            for text in (label, value.strip()):
                cells.append(Cell(text=text, location=location, table=0, row=1, col=len(cells) + 1))
        grids.append(Grid(name=location, rows=(tuple(cells),)))
    return grids


def _is_parent(field: Any) -> bool:
    """A field whose kids are fields in their own right (not just its widgets)."""
    return any("/T" in kid.get_object() for kid in field["/Kids"])


def _labels(qualified: str, field: Any) -> list[str]:
    name = str(field.get("/T") or qualified.rsplit(".", 1)[-1]).strip()
    tooltip = str(field.get("/TU") or "").strip()
    return [label for label in dict.fromkeys((tooltip, name)) if label]


def _value_text(field: Any) -> str:
    value = field.get("/V")
    if field.get("/FT") != "/Btn":
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return "" if value is None else str(value)
    chosen = "" if value is None else str(value)
    if int(field.get("/Ff", 0)) & RADIO_FLAG:
        option = chosen.lstrip("/")
        return "" if chosen in NOT_CHOSEN else option if option.lower() in OPTION_WORDS else "☒"
    return "☐" if chosen in NOT_CHOSEN else "☒"
