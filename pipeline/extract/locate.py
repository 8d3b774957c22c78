"""Find each field's value beside its printed label, wherever the school put it.

Handles the layouts forms come in: label and value in neighbouring cells, label above value,
four-column tables of two label/value pairs, "Label: value" in one cell or paragraph, a
label with its value on the next lines of the same cell, and a heading followed by a
narrative section.
"""

from __future__ import annotations

from pipeline.extract.inline import SECTION_HEADING, inline_values, starts_with_label
from pipeline.extract.labels import GUIDANCE_VALUES, LabelIndex, Located, is_instruction
from pipeline.extract.page_joins import rows_across_pages
from pipeline.models import Cell, Grid, Provenance, ReadDocument

XLSX_RIGHT_REACH = 4


def locate(document: ReadDocument, index: LabelIndex) -> dict[str, Located]:
    """Every field of the index found in the document: first non-empty occurrence wins."""
    found: dict[str, Located] = {}
    for grid in rows_across_pages(document.grids, index):
        _from_grid(grid, document, index, found)
    lines = document.format.startswith("pdf")  # a PDF's paragraphs are its lines of text
    _from_paragraphs(document.paragraphs, document.filename, index, found, lines=lines)
    return found


def _keep(found: dict[str, Located], field_id: str, located: Located) -> None:
    if located.text and is_instruction(located.text):
        located = Located("", None, located.source)
    current = found.get(field_id)
    if current is None or (not current.text and located.text):
        found[field_id] = located


def _from_grid(
    grid: Grid, document: ReadDocument, index: LabelIndex, found: dict[str, Located]
) -> None:
    reach = XLSX_RIGHT_REACH if document.is_spreadsheet else 1
    if _is_guidance(grid, reach, index):
        return
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if not cell.text:
                continue
            field_id = index.field_of(cell.text)
            if field_id:
                value = _right_value(row, c, reach, index)
                if value is None or not value.text:  # an empty cell beside: maybe label above
                    value = _below_value(grid, r, cell, index, value) or value
                elif reach == 1:
                    value = _with_rows_spanned(grid, r, cell, value, index)
                _keep(found, field_id, _located(document.filename, value, cell))
                continue
            for field_id, text in inline_values(cell.text, index):
                source = Provenance(document=document.filename, location=cell.location)
                _keep(found, field_id, Located(text, text, source))


def _is_guidance(grid: Grid, reach: int, index: LabelIndex) -> bool:
    """A table of notes on how to fill the form in: several of its labels are followed by
    instructions, so none of its text beside a label is an answer."""
    instructions = 0
    for row in grid.rows:
        for c, cell in enumerate(row):
            beside = _right_value(row, c, reach, index) if index.field_of(cell.text) else None
            instructions += bool(beside is not None and is_instruction(beside.text))
    return instructions >= GUIDANCE_VALUES


def _right_value(row: tuple[Cell, ...], c: int, reach: int, index: LabelIndex) -> Cell | None:
    for candidate in row[c + 1 : c + 1 + reach]:
        if starts_with_label(candidate.text, index):
            return None
        if candidate.text or reach == 1:
            return candidate
    return None


def _with_rows_spanned(grid: Grid, r: int, label: Cell, value: Cell, index: LabelIndex) -> Cell:
    """The answer beside a label merged down over several rows: every row's answer, in order.

    A row belongs to the label while nothing of its own stands in the label's column (a merged
    cell continues there: Word gives an empty cell, a PDF none).
    """
    parts = [value]
    for row in grid.rows[r + 1 :]:
        if any(cell.text for cell in row if cell.col <= label.col):
            break
        more = [cell for cell in row if cell.col == value.col]
        if not more or not more[0].text or starts_with_label(more[0].text, index):
            break
        parts.append(more[0])
    if len(parts) == 1:
        return value
    text = "\n".join(part.text for part in parts)
    where = f"{value.location} to row {parts[-1].row}"
    return value.model_copy(update={"text": text, "value": None, "location": where})


def _below_value(
    grid: Grid, r: int, label: Cell, index: LabelIndex, beside: Cell | None
) -> Cell | None:
    """The cell under a label: the one in the next row covering the label's column.

    Never another label or a section heading; and when the label has an empty answer cell
    beside it, never a cell that also spans that answer's column (a heading row merged across
    the table): the answer was left empty, and the row below belongs to what comes next.
    """
    if r + 1 >= len(grid.rows):
        return None
    below = grid.rows[r + 1]
    under = [cell for cell in below if cell.col <= label.col]
    candidate = under[-1] if under else None
    if candidate is None or not candidate.text or starts_with_label(candidate.text, index):
        return None
    if beside is not None and _spans_to(below, candidate, beside.col):
        return None
    return candidate


def _spans_to(row: tuple[Cell, ...], cell: Cell, col: int) -> bool:
    """Whether ``cell`` (merged) reaches across to grid column ``col`` of its row."""
    after = [other.col for other in row if other.col > cell.col]
    return (min(after) if after else float("inf")) > col


def _located(filename: str, value: Cell | None, label: Cell) -> Located:
    if value is None:
        return Located("", None, Provenance(document=filename, location=label.location))
    raw = value.value if value.value is not None else value.text
    source = Provenance(document=filename, location=value.location)
    return Located(value.text, raw, source, value.problem)


def _labels_rejoined(paragraphs: tuple[Cell, ...], index: LabelIndex) -> tuple[Cell, ...]:
    """Lines whose label wrapped onto the next line ("...consent to referral and<TAB>Yes",
    then "information sharing") with the label made whole again."""
    joined: list[Cell] = []
    skip = False
    for n, line in enumerate(paragraphs):
        below = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
        if skip:
            skip = False
            continue
        head, tab, rest = line.text.partition("\t")
        whole = f"{head} {below.text}" if below is not None else ""
        wrapped = tab and below is not None and "\t" not in below.text
        if wrapped and not index.field_of(head) and index.field_of(whole):
            joined.append(line.model_copy(update={"text": f"{whole}\t{rest}"}))
            skip = True
            continue
        joined.append(line)
    return tuple(joined)


def _from_paragraphs(
    paragraphs: tuple[Cell, ...],
    filename: str,
    index: LabelIndex,
    found: dict[str, Located],
    *,
    lines: bool,
) -> None:
    paragraphs = _labels_rejoined(paragraphs, index)
    for i, paragraph in enumerate(paragraphs):
        inline = inline_values(paragraph.text, index)
        if lines and len(inline) == 1 and inline[0][1] and "\t" not in paragraph.text:
            _keep_run_on(paragraphs, i, inline[0], filename, index, found)
            continue
        for field_id, text in inline:
            source = Provenance(document=filename, location=paragraph.location)
            _keep(found, field_id, Located(text, text, source))
        heading = None if inline else index.field_of(paragraph.text)
        if heading:
            section = _section_after(paragraphs, i, index)
            text = "\n".join(p.text for p in section)
            location = section[0].location if section else paragraph.location
            if len(section) > 1:
                location = f"{location} to {section[-1].location.split()[-1]}"
            _keep(
                found,
                heading,
                Located(text, text, Provenance(document=filename, location=location)),
            )


def _keep_run_on(
    paragraphs: tuple[Cell, ...],
    i: int,
    pair: tuple[str, str],
    filename: str,
    index: LabelIndex,
    found: dict[str, Located],
) -> None:
    """A "Label: value" paragraph's answer with the lines it runs on to (a PDF breaks a long
    answer into lines), up to the next label, section heading or table."""
    field_id, text = pair
    section = _section_after(paragraphs, i, index)
    text = "\n".join([text, *(p.text for p in section)])
    location = paragraphs[i].location
    if section:
        location = f"{location} to {section[-1].location.split()[-1]}"
    _keep(found, field_id, Located(text, text, Provenance(document=filename, location=location)))


def _section_after(paragraphs: tuple[Cell, ...], i: int, index: LabelIndex) -> list[Cell]:
    """The paragraphs under a heading, up to the next label, section heading or table."""
    section: list[Cell] = []
    previous = paragraphs[i]
    for paragraph in paragraphs[i + 1 :]:
        if _ends_section(previous, paragraph, index):
            break
        section.append(paragraph)
        previous = paragraph
    return section


def _ends_section(previous: Cell, paragraph: Cell, index: LabelIndex) -> bool:
    table_between = previous.row and paragraph.row and paragraph.row > previous.row + 1
    return bool(
        table_between
        or SECTION_HEADING.match(paragraph.text)
        or index.is_label(paragraph.text)
        or inline_values(paragraph.text, index)
    )
