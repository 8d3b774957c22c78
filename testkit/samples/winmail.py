"""A sample request as Outlook sends it through Exchange in rich text: its files inside a
``winmail.dat`` (TNEF, ``application/ms-tnef``), the email around it.

Both are written by Aspose.Email for Python via .NET (its MAPI message saved through its
MAPI-to-MIME conversion with TNEF on), a real MAPI/TNEF writer, never by bytes made here. It
runs unlicensed, in evaluation mode, which appends "(Aspose.Email Evaluation)" to the subject
and a line to the rich-text body; the attachments are written whole.

It is run once, by hand (``make tnef-fixture``), and what it wrote is kept as a test fixture
(tests/fixtures/tnef/referral): the tests read the kept files and never run unlicensed
proprietary software. Aspose.Email is installed apart, in ``.venv/tnef-writer`` (``pip install
--target``), not in the environment itself: its ``aspose`` package is an ordinary package that
would hide aspose-email-foss's ``aspose`` namespace (the .msg writer of the tests). So the
writer runs in a child process (``python -m testkit.samples.winmail``) with that folder first
on its path; the .NET runtime it loads also stays out of the test process, which forks, and
its globalisation mode (invariant: the bundled .NET Core 3.1 does not find Debian 12's ICU 72)
is set for that process alone.
"""

from __future__ import annotations

import importlib.machinery
import io
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

from testkit.samples.request import SampleRequest

WRITER_FOLDER = Path(sys.prefix) / "tnef-writer"


class Request(TypedDict):
    """What the child process writes: the email's headers and note, the files' names and paths."""

    sender: str
    sender_name: str
    to: str
    subject: str
    body: str
    date: str  # UTC, ISO 8601 without an offset
    message_id: str
    files: list[tuple[str, str]]


def available() -> bool:
    """Whether Aspose.Email is installed in :data:`WRITER_FOLDER`."""
    found = importlib.machinery.PathFinder.find_spec("aspose", [str(WRITER_FOLDER)])
    return found is not None and (WRITER_FOLDER / "aspose" / "email").is_dir()


def winmail_email(sample: SampleRequest, files: list[tuple[str, bytes]]) -> bytes:
    """The .eml of ``sample`` whose ``files`` travel inside a winmail.dat."""
    with tempfile.TemporaryDirectory(prefix="winmail-") as folder:
        paths = []
        for index, (name, data) in enumerate(files):
            path = Path(folder) / str(index)
            path.write_bytes(data)
            paths.append((name, str(path)))
        request = Request(
            sender=sample.sender,
            sender_name=sample.sender_name,
            to=sample.mailbox,
            subject=sample.subject,
            body=sample.body,
            date=sample.received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            message_id=sample.message_id,
            files=paths,
        )
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(WRITER_FOLDER), os.environ.get("PYTHONPATH")])
            ),
            "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1",
            "TZ": "UTC",
        }
        done = subprocess.run(
            [sys.executable, "-m", "testkit.samples.winmail", "--child"],
            input=json.dumps(request).encode(),
            capture_output=True,
            env=env,
            check=False,
            timeout=300,
        )
    if done.returncode != 0:
        raise RuntimeError(f"Aspose.Email failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout


def _write(request: Request) -> bytes:
    """In the child: the MAPI message with its attachments, converted to MIME with TNEF."""
    import aspose.email as ae  # type: ignore[import-untyped,unused-ignore]
    from aspose.email.mapi import (  # type: ignore[import-untyped,unused-ignore]
        MailConversionOptions,
        MapiMessage,
    )

    message = MapiMessage(request["sender"], request["to"], request["subject"], request["body"])
    for name, path in request["files"]:
        message.attachments.add(name, Path(path).read_bytes())
    options = MailConversionOptions()
    options.convert_as_tnef = True
    mail = message.to_mail_message(options)
    mail.from_address = ae.MailAddress(request["sender"], request["sender_name"])
    mail.date = datetime.fromisoformat(request["date"])
    mail.message_id = request["message_id"]
    out = io.BytesIO()
    mail.save(out, ae.SaveOptions.default_eml)
    return out.getvalue()


def write_fixture(folder: Path) -> None:
    """The kept test fixture (tests/fixtures/tnef/referral): a generated clean referral's files,
    and the email carrying them in a winmail.dat. Written once with the writer installed
    (``make tnef-fixture``); the tests read the kept files and never run the writer."""
    from pipeline.config import load_config
    from testkit.samples import sample
    from testkit.samples.email_message import attachments

    config = load_config(Path(__file__).resolve().parents[2] / "config.toml")
    referral = sample(4, "clean", config)
    files = attachments(referral)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        (folder / name).write_bytes(data)
    (folder / "winmail-referral.eml").write_bytes(winmail_email(referral, files))


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        sys.stdout.buffer.write(_write(json.loads(sys.stdin.buffer.read())))
    else:
        write_fixture(Path(sys.argv[1]))
