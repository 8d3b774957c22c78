"""`pipeline samples`, `accuracy` and `reliability`: the commands that need a source checkout.

The generators and trials live in the ``testkit`` distribution of a source checkout, not in
the product wheel. Each command imports it when run; without it, one line says what to do.
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from pipeline import logs
from pipeline.config import DEFAULT_CONFIG, load_config

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="The configuration file.")]
NO_TESTKIT = (
    "pipeline {command} needs the test kit of a source checkout "
    "(pip install -e ./testkit, or make run in the checkout)"
)


def testkit(module: str, command: str) -> ModuleType:
    """The test kit's ``module``, or a clean exit naming what is missing."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "testkit":
            raise
        typer.echo(NO_TESTKIT.format(command=command), err=True)
        raise typer.Exit(1) from None


def samples(
    out: Annotated[Path, typer.Option(help="Folder to write the sample .eml files into.")],
    config: ConfigOption = DEFAULT_CONFIG,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same files.")
    ] = 2025,
    clean: Annotated[int, typer.Option(help="How many referrals without defects.")] = 5,
    defect: Annotated[
        list[str] | None,
        typer.Option(
            help="A rule code to seed as a defect (repeat for several; 'all' for every one)."
        ),
    ] = None,
) -> None:
    """Write fictional referral emails (clean ones and ones with chosen defects) into a folder."""
    sample_data = testkit("testkit.samples", "samples")
    logs.configure("text")
    settings = load_config(config)
    known: tuple[str, ...] = sample_data.ALL_DEFECTS
    codes = list(known) if defect == ["all"] else list(defect or [])
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise typer.BadParameter(
            f"no sample defect for {', '.join(unknown)}; choose from {', '.join(known)}",
            param_hint="--defect",
        )
    written = sample_data.generate(out, settings, seed=seed, clean=clean, defects=codes)
    typer.echo(f"Wrote {len(written)} sample email(s) to {out}")


def accuracy(
    config: ConfigOption = DEFAULT_CONFIG,
    out: Annotated[
        Path | None, typer.Option(help="Keep the generated corpus in this folder.")
    ] = None,
    per_layout: Annotated[int, typer.Option(help="Documents per form kind and layout.")] = 3,
    scanned: Annotated[
        int,
        typer.Option(
            help="Documents in each scanned (OCR) layout: the corpus scans and "
            "each value of the scan axes."
        ),
    ] = 3,
    only: Annotated[
        list[str] | None,
        typer.Option(
            help="Only the layouts whose name starts with this (repeatable): "
            "'pdf-scan' for every scan, 'pdf-scan-font' for the scanned fonts."
        ),
    ] = None,
) -> None:
    """Field accuracy of the readers over a generated corpus of every form kind and layout."""
    corpus = testkit("testkit.corpus", "accuracy")
    logs.configure("text", "WARNING")
    settings = load_config(config)
    with tempfile.TemporaryDirectory(prefix="corpus-") as temporary:
        folder = out or Path(temporary)
        corpus.generate_corpus(
            folder,
            settings,
            per_layout=per_layout,
            scanned_documents=scanned,
            only=tuple(only or ()),
        )
        typer.echo(corpus.accuracy_table(corpus.measure_accuracy(folder)))


def reliability(
    config: ConfigOption = DEFAULT_CONFIG,
    out: Annotated[Path, typer.Option(help="Where the trials work.")] = Path("var/reliability"),
    quick: Annotated[bool, typer.Option(help="150 emails, 12 kills, no over-size file.")] = False,
) -> None:
    """Hostile files and SIGKILL trials against the real pipeline: the README's table."""
    trials = testkit("testkit.reliability.trials", "reliability")
    logs.configure("text", "WARNING")
    typer.echo(trials.main(out, quick, config))
