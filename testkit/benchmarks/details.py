"""results.md's Details: what each scenario did, and the figures behind the table's rows."""

from __future__ import annotations

from testkit.benchmarks import workload
from testkit.benchmarks.results import Measurements
from testkit.benchmarks.scans import SCAN_SLOT


def details(r: Measurements) -> list[str]:
    s = r.sizes
    ours, big, fast, configured = r.ours, r.big, r.fast, r.configured
    by_kind = ", ".join(f"{v} {k}" for k, v in sorted(r.kinds.items()))
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(ours.details["statuses"].items()))
    pages = ", ".join(f"{k} {v} pages" for k, v in r.bundle.details.get("pages", {}).items())
    per_small = ours.seconds.median / s.text
    per_large = big.seconds.median / s.large
    return [
        f"- Workload (seed {workload.SEED}): {s.text} emails carrying "
        f"{sum(r.kinds.values())} attachments ({by_kind}); "
        f"{ours.details['submissions']} submissions: {statuses}. In every ten emails, eight IPN "
        "referrals (form, provision map, professional's report; a third also carry a newsletter; "
        "a quarter a seeded defect) and two project / capital / EHC plan / review requests.",
        *_floors(r),
        *_scanned(r),
        f"- Cost per email, cold: {per_small * 1000:.0f} ms at {s.text} emails, "
        f"{per_large * 1000:.0f} ms at {s.large} ({per_large / per_small:.2f}× — "
        "1.00× is linear growth).",
        "- Each backlog run is `run_inbox` in a fresh process (worker start-up included, "
        "interpreter start-up not): storing, parsing in the sandboxed worker, checking, the "
        "register, a JSON per submission, report.html and tracker.xlsx. The baselines only turn "
        "the same attachment files into text, in one process each.",
        f"- Watch, with the configured settle time ({r.settle:g} s, the fallback when no "
        "close-after-write or rename is seen): of the median "
        f"{fast.latency.median:.2f} s, {fast.waiting.median:.2f} s passes before the watcher "
        f"takes the file, {fast.handling.median:.2f} s handling the email and "
        f"{fast.reports.median:.2f} s rewriting report.html and tracker.xlsx "
        f"({fast.submissions_before}+ submissions in the register). Copied in: "
        f"{configured.waiting.median:.2f} s waiting of {configured.latency.median:.2f} s.",
        f"- Bundle: make_bundle only (processing the meeting's emails is not timed); {pages}.",
        f"- Peak memory of the {s.large}-email backlog: main process "
        f"{big.details.get('peak_main_pss_mb', 0):.0f} MB, parsing workers "
        f"{big.details.get('peak_worker_pss_mb', 0):.0f} MB (PSS); at {s.text}: "
        f"{ours.details.get('peak_main_pss_mb', 0):.0f} MB and "
        f"{ours.details.get('peak_worker_pss_mb', 0):.0f} MB.",
        "- Peak memory is sampled every 50 ms over the process and its parsing workers: PSS "
        "(pages shared between them counted once) and, in brackets, the plain sum of RSS "
        "(a forked worker's shared pages counted twice).",
    ]


def _floors(r: Measurements) -> list[str]:
    d = r.durable.details
    lines = [
        "- Durability floor (`testkit/benchmarks/floors.py`): for each email, one after the "
        "other, its raw bytes and each attachment written to a new file and fsynced, a small "
        "JSON written and fsynced, then the two folders fsynced once, so each email is durable "
        "before the next begins; nothing parsed, hashed or renamed, the bytes read before the "
        f"clock starts: {d['emails']} emails, {d['attachments']} attachments, "
        f"{d['bytes'] / 1024**2:.1f} MB, {d['fsyncs']} fsyncs "
        f"({d['fsyncs'] / d['emails']:.1f} an email), {r.durable.seconds.median:.2f} s, "
        f"{r.durable.seconds.median / r.floor.seconds.median:.1f}× the parsing floor. The "
        "pipeline's own store also makes each blob's hash folders and renames a temporary "
        "file (atomic writes), and its register commits with SQLite's fsync.",
    ]
    if r.ocr_floor:
        times = ", ".join(
            f"{m.seconds.median:.1f} s for {m.details['pages']} pages at {ppi} ppi "
            f"({m.details['words']} words)"
            for ppi, m in sorted(r.ocr_floor.items())
        )
        lines.append(
            "- OCR floor (`floors.py`): the scanned backlog's pages, made ready before the "
            "clock starts exactly as the pipeline makes them ready (its page images at the "
            "working resolution, straightened, rules erased), each read once by Tesseract "
            "(tesserocr, the pipeline's page segmentation and language) in two processes "
            f"with `OMP_THREAD_LIMIT=1`, each taking the next page as it finishes: {times}. "
            "No orientation check, no second reading, no layout: a lower bound on any "
            "Tesseract-based reading of those pages on this machine."
        )
    return lines


def _scanned(r: Measurements) -> list[str]:
    if not r.scanned:
        return ["- Scanned scenarios: not run (they need LibreOffice, pdftoppm and Tesseract)."]
    text = r.ours.seconds.median * r.sizes.backlog / r.sizes.text  # scaled to the same size
    extra = ", ".join(
        f"{(m.seconds.median - text) / r.scans:.2f} s at {ppi} ppi"
        for ppi, m in sorted(r.scanned.items())
    )
    shell = ", ".join(
        f"{m.seconds.median:.2f} s at {ppi} ppi" for ppi, m in sorted(r.one_form_cli.items())
    )
    return [
        f"- Scanned backlogs: the first {r.sizes.backlog} emails of the workload, but in every "
        "ten the "
        f"{_ordinal(SCAN_SLOT + 1)} (an IPN referral; {r.scans} in all) carries its referral form "
        f"as a {r.scan_pages}-page image-only PDF instead of the Word form: the same Word form "
        "exported to PDF by LibreOffice, rendered in grey by pdftoppm at 150 or 300 ppi and "
        "wrapped by Pillow (the accuracy corpus's scanner, `testkit.corpus.axes.scan_pdf`). "
        f"Each scanned form adds {extra} to the text backlog's run (its time per email "
        f"scaled to {r.sizes.backlog} emails). The re-run and the watch go on from the last "
        f"scanned backlog's run ({r.sizes.backlog} submissions in the register).",
        "- One scanned form, end to end: an email carrying only that scanned form, `run_inbox` "
        "in a fresh process over a fresh register (the parsing worker started, the form read by "
        "OCR, checked, recorded, its JSON and both reports written). The same through "
        f"`python -m pipeline run` from the shell (interpreter start-up and imports included): "
        f"{shell}.",
    ]


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(
        n, f"{n}th"
    )
