"""The parser's worker limits bite: a slow or memory-hungry file costs a finding, not the run,
and the worker is replaced so the next document is read normally."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.read import Unreadable
from pipeline.runner import open_context, run_inbox
from pipeline.sandbox import Limits, ParserPool
from testkit.reliability import files
from testkit.reliability.raw_mail import mail, named, part, sender_of
from testkit.samples import generate

SHA = "0" * 64


@pytest.fixture(scope="module")
def hungry() -> bytes:
    return files.memory_hungry_docx(1_000_000)


def worker_pids(pool: ParserPool) -> set[int]:
    return pool.worker_pids()


@pytest.fixture
def pool_factory() -> Iterator[list[ParserPool]]:
    pools: list[ParserPool] = []
    yield pools
    for pool in pools:
        pool.close()


def make_pool(pools: list[ParserPool], *, timeout: float = 60, memory_mb: int = 4096) -> ParserPool:
    pool = ParserPool(Limits(timeout, memory_mb, max_unzipped_mb=500, max_zip_ratio=10_000))
    pools.append(pool)
    return pool


def test_a_slow_file_is_stopped_and_the_worker_replaced(
    pool_factory: list[ParserPool], hungry: bytes
) -> None:
    pool = make_pool(pool_factory, timeout=1.0)
    assert pool.read(files.plain_docx(), "a.docx", SHA) is not None
    first = worker_pids(pool)
    with pytest.raises(Unreadable, match="took more than 1 seconds"):
        pool.read(hungry, "slow.docx", SHA)
    document = pool.read(files.plain_docx("after"), "b.docx", SHA)
    assert document is not None and document.paragraphs[0].text == "after"
    assert worker_pids(pool) and not worker_pids(pool) & first


def test_a_memory_hungry_file_is_stopped_and_the_worker_replaced(
    pool_factory: list[ParserPool], hungry: bytes
) -> None:
    limit = 300  # MB beyond what the worker maps when it starts
    pool = make_pool(pool_factory, memory_mb=limit)
    assert pool.read(files.plain_docx(), "a.docx", SHA) is not None
    first = worker_pids(pool)
    with pytest.raises(Unreadable, match=f"needs more than {limit} MB of memory"):
        pool.read(hungry, "hungry.docx", SHA)
    document = pool.read(files.plain_docx("after"), "b.docx", SHA)
    assert document is not None and document.paragraphs[0].text == "after"
    assert worker_pids(pool) and not worker_pids(pool) & first


def test_a_slow_file_stopped_beside_other_reads_leaves_them_to_finish_normally(
    pool_factory: list[ParserPool], hungry: bytes
) -> None:
    # Two workers read side by side; the slow file's worker is killed, never the other.
    pool = ParserPool(Limits(3.0, 4096, max_unzipped_mb=500, max_zip_ratio=10_000), workers=2)
    pool_factory.append(pool)
    slow = pool.submit(hungry, "slow.docx", SHA)
    plain = [pool.submit(files.plain_docx(f"form {n}"), f"{n}.docx", SHA) for n in range(4)]

    with pytest.raises(Unreadable, match="took more than 3 seconds"):
        slow.result()
    texts = [future.result() for future in plain]
    assert [t.paragraphs[0].text for t in texts if t is not None] == [f"form {n}" for n in range(4)]


def test_the_same_file_reads_normally_within_generous_limits(
    pool_factory: list[ParserPool], hungry: bytes
) -> None:
    # Generous: the point is that the limits do not bite, however loaded the machine is.
    document = make_pool(pool_factory, timeout=900).read(hungry, "big.docx", SHA)
    assert document is not None and len(document.paragraphs) == 1_000_000


def test_in_a_run_the_slow_file_gets_a_finding_and_the_next_email_is_processed(
    config: Config, hungry: bytes
) -> None:
    intake = config.intake.model_copy(
        update={
            # far below the slow file's CPU time, far above a clean form's (the limit is the
            # worker's CPU time, so a busy machine does not make a clean form fail)
            "parse_timeout_seconds": 5.0,
            "parse_memory_mb": 8192,  # the timeout, not the memory limit, is what must bite
            "max_zip_ratio": 10_000.0,
        }
    )
    config = config.model_copy(update={"intake": intake})
    inbox = config.paths.inbox
    slow = mail(sender_of(config), [part(named("Slow report.docx"), hungry)])
    (inbox / "000-slow.eml").write_bytes(slow)
    generate(inbox, config, seed=5, clean=1)
    with open_context(config) as ctx:
        summary = run_inbox(ctx)
    assert summary.processed == 2
    records = [json.loads(p.read_text()) for p in (config.paths.outbox / "submissions").iterdir()]
    slow_findings = [
        f for r in records for f in r["findings"] if f["document"] == "Slow report.docx"
    ]
    assert any(
        f["code"] == "unreadable_document" and "took more than 5 seconds" in f["message"]
        for f in slow_findings
    )
    clean = [
        r for r in records if not any(f["document"] == "Slow report.docx" for f in r["findings"])
    ]
    assert clean and not any(
        f["code"] == "unreadable_document" for r in clean for f in r["findings"]
    )


def test_a_worker_is_started_by_the_fork_server_not_forked_from_the_threaded_service(
    pool_factory: list[ParserPool],
) -> None:
    # Forking a process with threads copies locks other threads hold; the worker then waits
    # on them for ever (a plain form "took over 60 s" under `serve`). The worker's parent must
    # be the single-threaded fork server.
    busy = threading.Event()
    thread = threading.Thread(target=busy.wait)
    thread.start()
    try:
        pool = make_pool(pool_factory)
        assert pool.read(files.plain_docx(), "a.docx", SHA) is not None
        (worker,) = worker_pids(pool)
        parent = int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
        assert parent != os.getpid()
    finally:
        busy.set()
        thread.join()


def test_a_process_forked_after_workers_started_still_reads_documents(
    pool_factory: list[ParserPool],
) -> None:
    # The fork server belongs to the process that started it; a forked child (the fault
    # tests' killed poll) must get working workers of its own.
    assert make_pool(pool_factory).read(files.plain_docx(), "a.docx", SHA) is not None
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            pool = ParserPool(Limits(60, 4096, max_unzipped_mb=500, max_zip_ratio=10_000))
            document = pool.read(files.plain_docx("child"), "b.docx", SHA)
            pool.close()
            code = 0 if document is not None and document.paragraphs[0].text == "child" else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
