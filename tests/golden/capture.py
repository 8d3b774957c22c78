"""Writes tests/golden/expected.json from a run over tests/golden/emails (see make_corpus)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from golden.outputs import EXPECTED, run_golden
from pipeline.config import load_config

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "inbox").mkdir()
        outputs = run_golden(load_config(ROOT / "config.toml").under(Path(tmp)))
    EXPECTED.write_text(json.dumps(outputs, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(outputs['submissions'])} submissions -> {EXPECTED}")


if __name__ == "__main__":
    main()
