"""The documented production command serves search while slow clients hold connections and while
the tracker is flooded, and stops cleanly."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from tests.sitekit import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve-production did not start")


def test_serve_production_survives_slow_clients_and_a_tracker_flood(demo_output: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "XXGK_OUTPUT": str(demo_output), "XXGK_RUNTIME": str(tmp_path / "run"),
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "xxgk", "serve-production", "--port", str(port), "--processes", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(port, proc)
        slow = []
        for _ in range(50):  # each sends part of its headers and never finishes
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
            slow.append(s)
        stop = threading.Event()
        answers: list[int] = []

        def flood(n: int) -> None:
            i = 0
            while not stop.is_set():
                i += 1
                conn = HTTPConnection("127.0.0.1", port, timeout=30, source_address=(f"127.9.{n}.{i % 250 + 1}", 0))
                conn.request("GET", "/ysqgk/query?number=DJ-2026-0001&code=ABCD-EFGH-JK")
                answers.append(conn.getresponse().status)
                conn.close()

        flooders = [threading.Thread(target=flood, args=(n,)) for n in range(8)]
        for t in flooders:
            t.start()
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(40):
            conn.request("GET", "/search.json?q=%E9%A2%84%E7%AE%97")
            response = conn.getresponse()
            assert response.status == 200 and b'"total"' in response.read()
        stop.set()
        for t in flooders:
            t.join()
        assert set(answers) <= {404, 429, 503} and 503 in answers  # bounded: busy at once, never a hang
        for s in slow:
            s.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
