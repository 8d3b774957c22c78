"""The provision map saved again by LibreOffice as .xls (Excel 97-2003) and .ods (Calc): the
formats a school's older Excel or LibreOffice saves in, with the values LibreOffice computed."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.config import Config
from schemas import ProvisionMap
from testkit.corpus import libreoffice
from testkit.corpus.xlsx_layouts import VARIANTS, expected_map, provision_map
from testkit.samples import make_referral

MAP_RESAVES = ("xls", "ods")
Write = Callable[[str, str, int, str, bytes, dict[str, Any]], Path]


def map_resaves(write: Write, config: Config, per_layout: int, seed: int, work: Path) -> list[Path]:
    kind = ProvisionMap.kind
    written = []
    for n in range(1, per_layout + 1):
        referral = make_referral(random.Random(f"{seed}:{kind}:{n}"), config)
        expected = {"kind": kind, **expected_map(referral)}
        source = work / f"{kind}-{n}" / "map.xlsx"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(provision_map(referral, VARIANTS["xlsx-plain"], n))
        for target in MAP_RESAVES:
            (saved,) = libreoffice.convert([source], target, source.parent / target)
            written.append(
                write(kind, f"xlsx-resaved-{target}", n, target, saved.read_bytes(), expected)
            )
    return written
