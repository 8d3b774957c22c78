"""The product as installed: the wheel carries pipeline/ and schemas/ and none of the test kit,
and the commands backed by the test kit say what they need when it is not there."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A path segment of the project's own generators and trials, wherever it might end up.
TEST_KIT = re.compile(r"(^|/)(testkit|samples|corpus|reliability|benchmarks|demo\.py)(/|$)")
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "var", "outbox", "build", "*.egg-info", "__pycache__", ".*_cache"
)


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The file list of the wheel pip builds from a copy of this checkout."""
    source = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = out.glob("cluster_referrals-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_product_wheel_holds_the_pipeline_and_the_schemas(wheel_files: list[str]) -> None:
    packages = {name.split("/")[0] for name in wheel_files if ".dist-info/" not in name}
    assert packages == {"pipeline", "schemas"}
    assert {"pipeline/cli.py", "pipeline/flow/journey.py", "schemas/ipn_referral.py"} <= set(
        wheel_files
    )
    assert any(name.startswith("pipeline/reports/templates/") for name in wheel_files)


def test_product_wheel_holds_no_generator_corpus_trial_or_benchmark(
    wheel_files: list[str],
) -> None:
    assert [name for name in wheel_files if TEST_KIT.search(name)] == []


@pytest.mark.parametrize(
    "command", [["samples", "--out", "samples-out"], ["accuracy"], ["reliability", "--quick"]]
)
def test_a_test_kit_command_without_the_test_kit_says_so_in_one_line(
    command: list[str], tmp_path: Path
) -> None:
    hide_test_kit = (
        "import sys; sys.modules['testkit'] = None; sys.argv = ['pipeline', *sys.argv[1:]]; "
        "from pipeline.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", hide_test_kit, *command, "--config", str(ROOT / "config.toml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"pipeline {command[0]} needs the test kit of a source checkout "
        "(pip install -e ./testkit, or make run in the checkout)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_test_kit_distribution_lists_every_package_of_testkit() -> None:
    declared = tomllib.loads((ROOT / "testkit" / "pyproject.toml").read_text("utf-8"))
    packages = declared["tool"]["setuptools"]["packages"]
    found = [
        ".".join(("testkit", *init.parent.relative_to(ROOT / "testkit").parts))
        for init in sorted((ROOT / "testkit").rglob("__init__.py"))
    ]
    assert sorted(packages) == sorted(found)
