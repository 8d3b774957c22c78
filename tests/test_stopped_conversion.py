"""A `pipeline run` stopped while LibreOffice converts one of its documents (an .rtf) leaves no
LibreOffice behind (it runs in a session of its own, out of reach of whatever ends the run's
processes, so its worker must end it), nor the copy of the document it was converting.

LibreOffice here is a stand-in on PATH that never finishes (a real one converts this file in
a second, too soon to be stopped on cue): a shell that starts a long ``sleep`` and waits for
it, as soffice's launcher waits for soffice.bin, each noting its process number.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from processes import kill_all, session_members, started_run, wait_for

from pipeline.config import Config
from testkit.reliability.config_file import write_config

HANGING_SOFFICE = """#!/bin/sh
echo $$ >> "{marks}"
sleep 600 &
echo $! >> "{marks}"
wait
"""


def rtf_email(config: Config) -> None:
    message = EmailMessage()
    message["From"] = f"senco@{config.settings[0].domains[0]}"
    message["To"] = config.cluster.mailbox
    message["Subject"] = "Supporting letter"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Letter attached.")
    letter = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} \f0 A letter from the school.\par}"
    message.add_attachment(letter, maintype="application", subtype="rtf", filename="letter.rtf")
    (config.paths.inbox / "001-letter.eml").write_bytes(bytes(message))


def alive(pid: int) -> bool:
    """Running (a zombie, ended and waiting to be reaped by init, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def marked(marks: Path) -> list[int]:
    return [int(line) for line in marks.read_text().split()] if marks.exists() else []


def scratch(tmp_path: Path) -> Path:
    """The temporary folder of the run's processes (TMPDIR)."""
    return tmp_path / "tmp"


@pytest.fixture
def converting_run(config: Config, tmp_path: Path) -> object:
    """A run started on one .rtf, and the file its stand-in LibreOffice notes its pids in."""
    marks = tmp_path / "soffice-pids"
    scratch(tmp_path).mkdir()
    programs = tmp_path / "bin"
    programs.mkdir()
    soffice = programs / "soffice"
    soffice.write_text(HANGING_SOFFICE.format(marks=marks))
    soffice.chmod(soffice.stat().st_mode | stat.S_IXUSR)
    rtf_email(config)
    path = write_config(config, tmp_path / "config.toml")
    run = started_run(
        path,
        PATH=f"{programs}{os.pathsep}{os.environ['PATH']}",
        TMPDIR=str(scratch(tmp_path)),
    )
    yield run, marks
    kill_all([*session_members(run.pid), *marked(marks)])
    run.wait()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_a_run_stopped_while_libreoffice_converts_leaves_no_libreoffice_behind(
    converting_run: tuple[subprocess.Popen[bytes], Path], stop: signal.Signals
) -> None:
    run, marks = converting_run
    assert wait_for(lambda: len(marked(marks)) == 2, 120)  # converting: launcher and its child
    run.send_signal(stop)
    run.wait()

    assert wait_for(lambda: not any(alive(pid) for pid in marked(marks)), 30), [
        pid for pid in marked(marks) if alive(pid)
    ]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_a_run_stopped_while_libreoffice_converts_leaves_no_copy_of_the_document(
    converting_run: tuple[subprocess.Popen[bytes], Path], tmp_path: Path, stop: signal.Signals
) -> None:
    run, marks = converting_run
    assert wait_for(lambda: len(marked(marks)) == 2, 120)
    assert list(scratch(tmp_path).glob("read-convert-*/document.rtf"))  # the copy converted
    run.send_signal(stop)
    run.wait()

    assert wait_for(lambda: not list(scratch(tmp_path).glob("read-convert-*")), 30), list(
        scratch(tmp_path).rglob("*")
    )


def test_a_worker_killed_from_outside_while_libreoffice_converts_leaves_neither_behind(
    converting_run: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    """The kernel's out-of-memory killer, say: the run goes on, and ends what the worker left."""
    run, marks = converting_run
    assert wait_for(lambda: len(marked(marks)) == 2, 120)
    launcher = marked(marks)[0]
    worker = parent_of(launcher)
    os.kill(worker, signal.SIGKILL)
    assert run.wait(timeout=120) == 0

    assert wait_for(lambda: not any(alive(pid) for pid in marked(marks)), 30)
    assert not list(scratch(tmp_path).glob("read-convert-*"))
