"""The desk's commands as the README shows them: `pipeline desk-user add`, `pipeline desk`,
and `pipeline serve` with `[desk] in_serve = true`, each a real process on loopback."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_file(folder: Path, port: int, *, in_serve: bool = False) -> Path:
    """The shipped config.toml, its paths under ``folder`` and the desk on ``port``."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for old, new in {
        "port = 8765": f"port = {port}",
        "in_serve = false": f"in_serve = {'true' if in_serve else 'false'}",
    }.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (folder / "inbox").mkdir(exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def pipeline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def running(*args: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", *args],
            stdout=output,
            stderr=output,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def add_admin(config: Path, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    done = pipeline("desk-user", "add", "ada", "--password-file", str(secret), "-c", str(config))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ada can sign in to the desk as admin."


def signed_in_queue(base: str) -> str:
    with httpx.Client(base_url=base) as client:
        form = client.get("/signin").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token
        client.post("/signin", data={"csrf": token.group(1), "name": "ada", "password": PASSWORD})
        return client.get("/queue").text


def test_desk_user_add_refuses_a_short_password(tmp_path: Path) -> None:
    config = config_file(tmp_path, free_port())
    secret = tmp_path / "password"
    secret.write_text("short", encoding="utf-8")
    done = pipeline("desk-user", "add", "ada", "--password-file", str(secret), "-c", str(config))
    assert done.returncode == 1
    assert "at least 12 characters" in done.stderr


def test_pipeline_desk_serves_on_loopback_and_the_first_admin_signs_in(tmp_path: Path) -> None:
    port = free_port()
    config = config_file(tmp_path, port)
    add_admin(config, tmp_path)
    base = f"http://127.0.0.1:{port}"
    with running("desk", "-c", str(config), log=tmp_path / "desk.log") as desk:
        wait_for(lambda: answers(f"{base}/signin") or desk.poll() is not None)
        assert desk.poll() is None, (tmp_path / "desk.log").read_text()
        assert "<h1>Queue</h1>" in signed_in_queue(base)
        desk.send_signal(signal.SIGTERM)
        assert desk.wait(timeout=30) == 0
    assert not answers(f"{base}/signin")


@pytest.mark.parametrize("in_serve", [True, False])
def test_pipeline_serve_runs_the_desk_when_the_configuration_asks(
    tmp_path: Path, in_serve: bool
) -> None:
    port = free_port()
    config = config_file(tmp_path, port, in_serve=in_serve)
    status = tmp_path / "outbox" / "status.json"
    with running("serve", "-c", str(config), log=tmp_path / "serve.log") as serve:
        wait_for(lambda: status.exists() or serve.poll() is not None)
        if in_serve:
            wait_for(lambda: answers(f"http://127.0.0.1:{port}/signin"))
        else:
            assert not answers(f"http://127.0.0.1:{port}/signin")
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0, (tmp_path / "serve.log").read_text()
    assert not answers(f"http://127.0.0.1:{port}/signin")
