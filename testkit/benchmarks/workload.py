"""The benchmark's own workload: fictional referral emails, generated once with a fixed seed.

A backlog of N emails is, in every ten: eight IPN referrals (form, provision map and a
professional's report as PDF; one in three also carries a school newsletter sent by mistake;
one in four has a seeded defect) and two requests of the other kinds in turn (project, capital
bid, EHC plan exceptional needs, funding review). Email ``i`` depends only on the seed and
``i``, so the 500-email backlog is the first 500 of the 2,000-email one. Generated files are
cached in ``benchmarks/.cache/`` (delete it to start again).
"""

from __future__ import annotations

import email
import hashlib
import io
import os
import random
import shutil
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from pipeline.config import Config, load_config
from testkit.samples import apply_defect, make_referral, make_sample, render_email, render_emails
from testkit.samples.case import SampleReferral
from testkit.samples.extras import NEWSLETTER

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 20251211
OTHER_KINDS = ("project_referral", "capital_bid", "ehcp_exceptional", "funding_review")
# Defects that keep one email per referral (a duplicate is two emails) and change no count.
DEFECTS = (
    "short_narrative",
    "consent_stale",
    "few_apdr_cycles",
    "missing_field",
    "line_cost_mismatch",
    "year_group_mismatch",
    "invalid_upn",
    "signature_missing",
    "amount_mismatch",
    "date_order",
)
WATCH_BASE = 100_000  # emails dropped into the watcher are numbered from here


def base_config() -> Config:
    return load_config(ROOT / "config.toml")


def workspace_config(config: Config, workspace: Path, inbox: Path) -> Config:
    """The shipped configuration with its inbox, outbox, store and register in ``workspace``."""
    return config.under(workspace, inbox)


def email_bytes(index: int, config: Config, seed: int = SEED) -> bytes:
    """Email number ``index`` of the workload."""
    slot = index % 10
    if slot >= 8:
        kind = OTHER_KINDS[(index // 10 * 2 + slot - 8) % len(OTHER_KINDS)]
        form = make_sample(kind, index + 1, "clean", config, seed=seed)
        return render_emails(form)[-1]
    return render_email(ipn_referral(index, config, seed))


def ipn_referral(index: int, config: Config, seed: int = SEED) -> SampleReferral:
    """The IPN referral email ``index`` carries (``index % 10`` below 8)."""
    rng = random.Random(f"{seed}:{index}")
    referral = make_referral(rng, config)
    extras = (NEWSLETTER,) if index % 3 == 0 else ()
    referral = referral.model_copy(update={"include_supporting": True, "extras": extras})
    if index % 4 == 1:
        referral = apply_defect(referral, DEFECTS[(index // 4) % len(DEFECTS)], rng, config)
    return referral


def _write(batch: list[tuple[int, Path]]) -> None:
    config = base_config()
    for index, path in batch:
        data = email_bytes(index, config)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


def email_name(index: int) -> str:
    return f"{index:06d}.eml"


def ensure_emails(folder: Path, indices: Iterable[int], workers: int = 2) -> list[Path]:
    """The emails of ``indices`` in ``folder``, generating those not there yet."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [(i, folder / email_name(i)) for i in indices]
    missing = [(i, p) for i, p in wanted if not p.exists()]
    if missing:
        batches = [missing[n::workers] for n in range(workers)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_write, batches))
    return [p for _, p in wanted]


def backlog(size: int) -> Path:
    """A drop folder holding exactly emails 0 .. size-1 (hard links into the cache)."""
    emails = ensure_emails(CACHE / "emails", range(size))
    folder = CACHE / f"backlog-{size}"
    if folder.is_dir() and len(list(folder.iterdir())) == size:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in emails:
        os.link(path, folder / path.name)
    return folder


def watch_drops(count: int) -> list[Path]:
    """Emails not in any backlog, for dropping into the watcher one at a time."""
    return ensure_emails(CACHE / "watch", range(WATCH_BASE, WATCH_BASE + count))


def attachments(folder: Path) -> Path:
    """Every attachment of the emails in ``folder``, saved as files (for the baselines)."""
    out = CACHE / f"attachments-{folder.name}"
    done = out / ".complete"
    if done.exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=SMTP)
        assert isinstance(message, EmailMessage)
        for n, part in enumerate(message.iter_attachments()):
            name = part.get_filename() or f"part{n}"
            suffix = Path(name).suffix.lower()
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                (out / f"{path.stem}-{n}{suffix}").write_bytes(payload)
    done.touch()
    return out


# The meeting bundle: the demo meeting (pipeline/demo.py) with longer supporting reports.

REPORT_PAGES = 9
LONG_REPORTS = 15  # IPN emails of the demo meeting that get a REPORT_PAGES-page report


def long_report(seed: str, pages: int) -> bytes:
    """A fictional professional's report of ``pages`` pages, naming nobody."""
    rng = random.Random(seed)
    styles = getSampleStyleSheet()
    sentences = (
        "The child was observed across the school day, in class, at break and at lunch.",
        "Staff described a strong relationship with one familiar adult in the classroom.",
        "Difficulties with attention were most visible during whole-class teaching.",
        "Short, structured sessions with visual supports helped the child to stay on task.",
        "The family reported that routines at home are similar to those used at school.",
        "Assessment showed literacy skills well below those expected for the year group.",
        "A calm, low-arousal space is used when the child becomes overwhelmed.",
        "Progress has been made since the last review, although it remains fragile.",
    )
    story = [Paragraph("Educational Psychology Service: consultation record", styles["Title"])]
    for page in range(pages):
        story.append(Paragraph(f"Section {page + 1}", styles["Heading2"]))
        for _ in range(9):
            text = " ".join(rng.choice(sentences) for _ in range(5))
            story.append(Paragraph(text, styles["Normal"]))
        if page < pages - 1:
            story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def with_attachment(data: bytes, filename: str, payload: bytes) -> bytes:
    message = email.message_from_bytes(data, policy=SMTP)
    assert isinstance(message, EmailMessage)
    message.add_attachment(payload, maintype="application", subtype="pdf", filename=filename)
    return message.as_bytes(policy=SMTP)


def meeting_inbox() -> Path:
    """The demo meeting's emails, 15 of the IPN ones with a 9-page report added."""
    from testkit.demo import write_emails

    folder = CACHE / "meeting"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    config = base_config()
    write_emails(workspace_config(config, CACHE, folder), folder)
    for n, path in enumerate(sorted(folder.glob("ipn-*.eml"))[:LONG_REPORTS]):
        seed = hashlib.sha256(f"{SEED}:report:{n}".encode()).hexdigest()
        report = long_report(seed, REPORT_PAGES)
        path.write_bytes(with_attachment(path.read_bytes(), "EP consultation record.pdf", report))
    done.touch()
    return folder


def pdf_pages(folder: Path) -> int:
    """Pages of all the PDFs attached to the emails in ``folder``."""
    from pypdf import PdfReader

    pages = 0
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=SMTP)
        assert isinstance(message, EmailMessage)
        for part in message.iter_attachments():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.startswith(b"%PDF"):
                pages += len(PdfReader(io.BytesIO(payload)).pages)
    return pages
