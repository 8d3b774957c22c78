"""Serving the desk with uvicorn: on its own (`pipeline desk`) or on a thread of
`pipeline serve`, stopping when the service stops."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator

import uvicorn

from pipeline.config import Config
from pipeline.desk.app import create_app

log = logging.getLogger(__name__)


class _QuietServer(uvicorn.Server):
    """uvicorn re-raises the signal that stopped it, so the process would die by SIGTERM after
    a clean shutdown; here the command's own handlers stop it and it exits 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def desk_server(config: Config) -> _QuietServer:
    settings = uvicorn.Config(
        create_app(config),
        host=config.desk.host,
        port=config.desk.port,
        log_level="warning",
        access_log=False,  # request lines carry case references and message ids in paths
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
    )
    return _QuietServer(settings)


def serve_desk(config: Config) -> None:
    """Until Ctrl-C or SIGTERM; requests in hand are finished first."""
    server = desk_server(config)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: setattr(server, "should_exit", True))
    log.info("desk on http://%s:%d/", config.desk.host, config.desk.port)
    server.run()


def desk_thread(config: Config, stop: threading.Event) -> threading.Thread:
    """The desk on a thread that ends when ``stop`` is set (for `pipeline serve`)."""
    server = desk_server(config)

    def watch_stop() -> None:
        stop.wait()
        server.should_exit = True

    threading.Thread(target=watch_stop, name="desk-stop", daemon=True).start()
    thread = threading.Thread(target=server.run, name="desk")
    thread.start()
    log.info("desk on http://%s:%d/", config.desk.host, config.desk.port)
    return thread
