"""LibreOffice, headless: a probe and one call converting files in a private profile."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

TIMEOUT_SECONDS = 300


def available() -> bool:
    return program() is not None


def program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(sources: Sequence[Path], target: str, out_dir: Path) -> list[Path]:
    """Convert files (e.g. target 'pdf', 'docx', 'xlsx') into out_dir; the paths written."""
    binary = program()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                *(str(s) for s in sources),
            ],
            capture_output=True,
            check=True,
            timeout=TIMEOUT_SECONDS,
        )
    suffix = "." + target.split(":")[0]
    written = [out_dir / (s.stem + suffix) for s in sources]
    missing = [p.name for p in written if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {', '.join(missing)}")
    return written
