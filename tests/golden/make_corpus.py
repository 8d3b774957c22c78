"""Writes the golden corpus once (kept in git, so the golden test does not depend on the generator).

Run from the repository root at the commit that fixed the expected outputs:
``cd tests && python -m golden.make_corpus`` writes ``tests/golden/emails/``; then
``cd tests && python -m golden.capture`` writes ``tests/golden/expected.json``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.config import load_config

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> None:
    from testkit import samples  # the generator of the commit that made the corpus

    config = load_config(ROOT / "config.toml")
    out = HERE / "emails"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    ipn = samples.generate(out, config, seed=4242, clean=10, defects=samples.ALL_DEFECTS)
    requests = [(kind, "clean") for kind in samples.FORM_DEFECTS for _ in range(3)]
    requests += [(kind, code) for kind, codes in samples.FORM_DEFECTS.items() for code in codes]
    forms = samples.write_samples(out, config, requests, seed=4242, start_index=len(ipn) + 1)
    for path in sorted((ROOT / "inbox").glob("*.eml")):
        shutil.copy(path, out / f"shipped-{path.name}")
    print(f"{len(ipn) + len(forms)} generated emails and the shipped samples in {out}")


if __name__ == "__main__":
    main()
