"""Mailbox soak: a few hundred emails through a real Dovecot while everything goes wrong.

The emails wait in the INBOX of a throwaway Dovecot on loopback. ``pipeline poll`` is started
as a subprocess again and again; each run is ended at a random moment by one of: SIGKILL (its
whole process group), Dovecot stopped and started again, or Dovecot's INBOX index rebuilt
(a UIDVALIDITY reset: the same mail under new UIDs). One email is poison (its processing
raises every time: :mod:`.poison_hook` makes it so inside the subprocess) and one is over the
whole-email limit (``intake.max_email_mb``, 1 MB in this trial). Then polls
run undisturbed until the INBOX is empty, and the trial counts: emails lost (not in the
register, or not in Processed or Quarantine), duplicated (more than one copy there, or a reply
draft twice in Drafts), drafts missing, the poison and over-size emails quarantined with a
finding, and the register's integrity.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from pipeline.config import Config
from pipeline.register import Register
from testkit.reliability.config_file import with_paths, write_config
from testkit.reliability.dovecot import Account, Dovecot
from testkit.reliability.poison_hook import POISON_HEADER
from testkit.samples import ALL_DEFECTS, generate

FINAL_POLLS = 8
OVERSIZE_LIMIT_MB = 1
HOOKED = "from testkit.reliability.poison_hook import main; main()"


@dataclass(frozen=True)
class SoakResult:
    emails: int
    kills: int  # the faults that landed in a running poll (not one already finished)
    restarts: int
    resets: int
    polls: int
    lost: int
    duplicated: int
    left_in_inbox: int
    drafts_expected: int
    drafts_missing: int
    drafts_duplicated: int
    poison: str  # the finding codes it was quarantined with, or what became of it
    oversize: str
    integrity: str

    @property
    def ok(self) -> bool:
        return (
            self.lost == self.duplicated == self.left_in_inbox == 0
            and self.drafts_missing == self.drafts_duplicated == 0
            and self.poison == "processing_failed"
            and self.oversize in ("email_too_large", "not tried")
            and self.integrity == "ok"
        )


def mailbox_soak(
    config: Config,
    out: Path,
    *,
    emails: int = 300,
    kills: int = 20,
    restarts: int = 3,
    resets: int = 3,
    seed: int = 2026,
    oversize: bool = True,
) -> SoakResult:
    """The trial under ``out``, with one email over the size limit unless ``oversize`` is
    False; raises NoDovecot when Dovecot is not installed."""
    server = Dovecot(_fresh(out / "dovecot"))
    server.start()
    try:
        account = server.account()
        trial = _configured(config, account, out / "soak")
        config_path = write_config(trial, out / "soak" / "config.toml")
        mail = _emails(trial, out / "emails", emails, seed)
        big = _oversize(trial, out / "oversize") if oversize else []
        for data in [*mail, *big]:
            account.append(data)  # imaplib sends bare LF as CRLF: the soak checks CRLF bytes
        rng = random.Random(seed)
        events = ["kill"] * kills + ["restart"] * restarts + ["reset"] * resets
        rng.shuffle(events)
        polls, landed = 0, Counter[str]()
        for event in events:
            polls += 1
            if _disturbed_poll(server, account, config_path, event, rng.uniform(0.5, 4.0)):
                landed[event] += 1
        for _ in range(FINAL_POLLS):
            polls += 1
            _poll(account, config_path).wait(600)
            if not account.messages("INBOX"):
                break
        counts = (landed["kill"], landed["restart"], landed["reset"], polls)
        return _check(trial, account, mail, big, counts)
    finally:
        server.cleanup()


def _configured(config: Config, account: Account, root: Path) -> Config:
    trial = account.configure(with_paths(config, root))
    intake = trial.intake.model_copy(update={"max_email_mb": OVERSIZE_LIMIT_MB})
    return trial.model_copy(update={"intake": intake})


def _emails(config: Config, folder: Path, count: int, seed: int) -> list[bytes]:
    """``count`` generated emails, one in three with a defect (drafts), the first poisoned."""
    defects = [ALL_DEFECTS[n % len(ALL_DEFECTS)] for n in range(count // 3)]
    paths = generate(folder, config, seed=seed, clean=count - len(defects), defects=defects)
    mail = [path.read_bytes() for path in paths]
    mail[0] = POISON_HEADER + b"\r\n" + mail[0]
    return [as_stored(data) for data in mail]


def _oversize(config: Config, folder: Path) -> list[bytes]:
    """One email over the whole-email limit of this trial, with a whole referral inside it."""
    (path,) = generate(folder, config, seed=99, clean=1)
    message = EmailMessage()
    message["From"] = "senco@" + (config.settings[0].domains or ("school.example",))[0]
    message["To"] = config.cluster.mailbox
    message["Subject"] = "Scans of the whole file"
    message.set_content("Attached.")
    message.add_attachment(os.urandom(1_600_000), "application", "pdf", filename="scans.pdf")
    message.add_attachment(path.read_bytes(), "message", "rfc822")
    return [as_stored(message.as_bytes())]


def as_stored(data: bytes) -> bytes:
    """The bytes an IMAP server holds for ``data`` appended: imaplib sends a bare CR or LF as
    CRLF, so the hash of the bytes as made would name no stored email."""
    return re.sub(rb"\r\n|\r(?!\n)|\n", b"\r\n", data)


def _poll(account: Account, config_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", HOOKED, "poll", "--config", str(config_path)],
        env=account.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: a kill takes its parsing worker too
    )


def _disturbed_poll(
    server: Dovecot, account: Account, config_path: Path, event: str, after: float
) -> bool:
    """A poll disturbed by ``event`` after ``after`` seconds; False if it finished before."""
    process = _poll(account, config_path)
    try:
        process.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        pass
    if event == "kill":
        os.killpg(process.pid, signal.SIGKILL)
    elif event == "restart":
        server.stop()
        server.start()
    else:
        server.reset_uidvalidity(account)
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return True


def _check(
    config: Config,
    account: Account,
    mail: list[bytes],
    oversize: list[bytes],
    counts: tuple[int, int, int, int],
) -> SoakResult:
    moved = Counter(_sha(m) for m in account.messages("Processed") + account.messages("Quarantine"))
    inbox = account.messages("INBOX")
    with Register(config.paths.register_db) as register:
        recorded = {str(s) for (s,) in register._db.execute("SELECT sha256 FROM messages")}
        integrity = "ok" if register.integrity_ok() else "damaged"
        poison = _codes(register, _sha(mail[0]))
        over = _codes(register, _sha(oversize[0])) if oversize else "not tried"
    hashes = [_sha(m) for m in mail + oversize]
    replies = sorted((config.paths.outbox / "replies").glob("*.eml"))
    expected = Counter(path.read_bytes() for path in replies)
    drafts = Counter(account.messages("Drafts"))
    kills, restarts, resets, polls = counts
    return SoakResult(
        emails=len(hashes),
        kills=kills,
        restarts=restarts,
        resets=resets,
        polls=polls,
        lost=sum(1 for h in hashes if h not in recorded or moved[h] == 0),
        duplicated=sum(max(0, moved[h] - 1) for h in hashes),
        left_in_inbox=len(inbox),
        drafts_expected=len(expected),
        drafts_missing=sum(1 for draft in expected if drafts[draft] == 0),
        drafts_duplicated=sum(max(0, n - 1) for n in drafts.values()) + len(drafts - expected),
        poison=poison,
        oversize=over,
        integrity=integrity,
    )


def _codes(register: Register, sha: str) -> str:
    """The finding codes of a quarantined email, or what became of it."""
    status = register.message_status(sha)
    if status is None:
        return "not recorded"
    if status != "quarantined":
        return "processed"
    rows = register._db.execute(
        "SELECT DISTINCT f.code FROM findings f JOIN submissions s ON f.submission = s.id "
        "JOIN messages m ON s.message = m.id WHERE m.sha256 = ? ORDER BY f.code",
        (sha,),
    )
    return ",".join(str(code) for (code,) in rows)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fresh(folder: Path) -> Path:
    """``folder``, emptied of an earlier trial's register, mail and server."""
    for part in ("dovecot", "soak", "emails", "oversize"):
        shutil.rmtree(folder.parent / part, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
