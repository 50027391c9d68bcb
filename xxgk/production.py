"""The production service: waitress in one process per core, on one listening socket.

Chosen by measurement (bench/serve_bench.py, docs/search.md): gunicorn's sync and threaded
workers read a request's headers in the worker, so 50 clients sending one header line
every 3 s stopped all search (0 requests a second, every request timing out); waitress
reads requests asynchronously and hands only complete ones to its threads, and survives
them, but in one process (the GIL) search slowed past 50 ms p95 while the tracker was
flooded.  So: the app (and the segmenter's dictionary) is loaded once, the socket bound
once, and then `processes` copies of waitress serve it, each with its own threads.  A
process that dies is started again; SIGTERM or SIGINT stops them all.

    XXGK_OUTPUT=/srv/xxgk/output .venv/bin/xxgk serve-production --port 8081
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import time
from typing import Any, Callable

# Bounds for clients: how many connections one process holds, how long an idle or slow one may
# stay (seconds), the largest request headers.  nginx in front sets its own (docs/search.md).
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 30
MAX_HEADER_BYTES = 16 * 1024


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _child(app: Callable, sock: socket.socket, threads: int) -> None:
    import waitress

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    waitress.serve(app, sockets=[sock], threads=threads, connection_limit=CONNECTION_LIMIT,
                   channel_timeout=CHANNEL_TIMEOUT, max_request_header_size=MAX_HEADER_BYTES,
                   ident="xxgk", _quiet=True)
    os._exit(0)


# Threads per process.  Searches are CPU-bound and hold the GIL: each thread more made every
# search cost more CPU (at 20,000 documents, 8 clients: 4.7 ms a request with 1 thread, 5.9
# with 8; p95 40 ms with 1 or 2, 52 ms with 8; docs/search.md).  Two rather than one so that
# a tracker key derivation (PBKDF2 releases the GIL for its 0.3 s) never stops a process's
# searches.
THREADS = 2


def serve(app: Callable, host: str = "127.0.0.1", port: int = 8081, processes: int = 0, threads: int = THREADS,
          log: Callable[[str], Any] = print) -> None:
    """Serve `app` until SIGTERM or SIGINT, in `processes` processes (0: one per core)."""
    processes = processes or os.cpu_count() or 1
    sock = bind(host, port)
    children: dict[int, int] = {}
    stopping = [False]

    def start(slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            _child(app, sock, threads)
        children[pid] = slot

    def stop(_signum: int, _frame: Any) -> None:
        stopping[0] = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(processes):
        start(slot)
    log(f"xxgk 服务：http://{host}:{port}/，{processes} 个进程 × {threads} 个线程")
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        slot = children.pop(pid, None)
        if slot is not None and not stopping[0]:
            log(f"进程 {pid} 意外退出（{status}），重新启动")
            time.sleep(0.5)
            start(slot)
    sock.close()
    sys.exit(0)
