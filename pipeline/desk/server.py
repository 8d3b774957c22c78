"""Serving the desk with uvicorn: on its own (`pipeline desk`) or on a thread of
`pipeline serve`, stopping when the service stops."""

from __future__ import annotations

import logging
import threading

import uvicorn

from pipeline.config import Config
from pipeline.desk.app import create_app

log = logging.getLogger(__name__)


def desk_server(config: Config) -> uvicorn.Server:
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
    return uvicorn.Server(settings)


def serve_desk(config: Config) -> None:
    """Until Ctrl-C or SIGTERM (uvicorn handles both)."""
    log.info("desk on http://%s:%d/", config.desk.host, config.desk.port)
    desk_server(config).run()


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
