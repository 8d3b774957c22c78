"""The HTML report as the admin's browser shows it: real headless Chromium, no network."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_reports import GENERATED_AT, MISSING_VIEWS, sample_config, sample_submissions

from pipeline.reports import write_html_report

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def find_chromium() -> str:
    """The Chromium binary; skipped where there is none, but a CI run must have one."""
    found = next(
        (p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()),
        None,
    )
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("no chromium binary: the CI must install Debian's chromium package")
    pytest.skip("no chromium binary (install Debian's chromium package to run this test)")


def chromium(profile: Path, *arguments: str) -> str:
    """Run headless Chromium with a throwaway profile and return what it prints on stdout."""
    done = subprocess.run(
        [find_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def report_url(tmp_path: Path) -> str:
    path = tmp_path / "report.html"
    write_html_report(path, sample_submissions(), sample_config(tmp_path), GENERATED_AT)
    return path.as_uri()


def test_browser_shows_what_the_school_must_fix(tmp_path: Path, report_url: str) -> None:
    dom = chromium(tmp_path / "profile", "--dump-dom", report_url)
    assert "Must fix before panel" in dom
    assert MISSING_VIEWS in dom


def test_browser_renders_a_screenshot(tmp_path: Path, report_url: str) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", report_url)
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000
