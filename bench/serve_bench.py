"""Which WSGI server the production command should run (issue 16), by measurement on loopback.

For each server set-up, on the demo site: search alone; search while 8 clients flood the
tracker's no-JavaScript query (each query derives a PBKDF2 key on purpose); search while 50
slow clients hold connections open, sending one header line every 3 s and never finishing.
Search is measured by 4 keep-alive clients asking /search.json; any non-200 answer or a
timeout (10 s) is an error.

    .venv/bin/python -m bench.serve_bench [--seconds 20] [--out bench/results/serve.md]
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

from bench.load_bench import copy_site  # noqa: E402
from tests.loadkit import QUERIES  # noqa: E402
from xxgk.build import build_atomically  # noqa: E402

APP = "xxgk.serve:app_from_env()"
SERVERS = {
    "gunicorn sync -w 2": ["-m", "gunicorn", "--preload", "-w", "2", "-b", "127.0.0.1:{port}", APP],
    "gunicorn gthread -w 2 --threads 8": ["-m", "gunicorn", "--preload", "-w", "2", "-k", "gthread", "--threads", "8",
                                          "-b", "127.0.0.1:{port}", APP],
    "waitress --threads 8": ["-m", "waitress", "--listen=127.0.0.1:{port}", "--threads=8", "--connection-limit=1000",
                             "--channel-timeout=30", "--call", "xxgk.serve:app_from_env"],
    "xxgk serve-production (waitress × 2 processes × 2 threads)": ["-m", "xxgk", "serve-production", "--port", "{port}",
                                                                    "--processes", "2"],
    # The earlier default: more threads cost every search more CPU (docs/search.md).
    "xxgk serve-production --threads 8": ["-m", "xxgk", "serve-production", "--port", "{port}", "--processes", "2",
                                          "--threads", "8"],
    "xxgk serve-production --threads 1": ["-m", "xxgk", "serve-production", "--port", "{port}", "--processes", "2",
                                          "--threads", "1"],
}
SEARCH_CLIENTS = 4
FLOOD_CLIENTS = 8
SLOW_CLIENTS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def search_clients(port: int, seconds: float) -> tuple[list[float], int, int]:
    """(latencies ms, errors, requests) of SEARCH_CLIENTS keep-alive clients for `seconds`."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            path = "/search.json?q=" + quote(rng.choice(QUERIES))
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                bad = response.status != 200 and response.status != 400
            except (OSError, Exception):  # noqa: BLE001 - a timeout or a dropped connection is an error
                bad = True
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                times.append((time.perf_counter() - t) * 1000)
                errors[0] += bad
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(SEARCH_CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors[0], len(times)


def flood(port: int, stop: threading.Event, answers: dict[int, int], n: int) -> None:
    """One flooding client, from a new loopback address for every query (127.0.x.y): as many
    addresses as a botnet has, so that only the bound across processes holds, not the one per client."""
    rng = random.Random(99 + n)
    i = 0
    while not stop.is_set():
        i += 1
        code = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(10))
        conn = HTTPConnection("127.0.0.1", port, timeout=30, source_address=(f"127.{n + 1}.{i // 250 % 250}.{i % 250 + 1}", 0))
        try:
            conn.request("GET", f"/ysqgk/query?number=DJ-2026-0001&code={code[:4]}-{code[4:8]}-{code[8:]}")
            response = conn.getresponse()
            response.read()
            answers[response.status] = answers.get(response.status, 0) + 1
        except OSError:
            answers[0] = answers.get(0, 0) + 1
        finally:
            conn.close()


def slow(port: int, stop: threading.Event) -> None:
    """One slow client: a request's headers, one line every 3 s, never finished."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        n = 0
        while not stop.wait(3):
            n += 1
            sock.sendall(f"X-Slow-{n}: {n}\r\n".encode())
    except OSError:
        return


def row(name: str, scenario: str, result: tuple[list[float], int, int], seconds: float, extra: str = "") -> str:
    times, errors, requests = result
    q = statistics.quantiles(times, n=20) if len(times) > 1 else [0.0] * 19
    return (f"| {name} | {scenario} | {requests / seconds:.0f} | {statistics.median(times) if times else 0:.1f} | "
            f"{q[18]:.1f} | {max(times, default=0):.0f} | {errors} | {extra} |")


def run(name: str, args: list[str], output: Path, runtime: Path, seconds: float) -> list[str]:
    port = free_port()
    env = {**os.environ, "XXGK_OUTPUT": str(output), "XXGK_RUNTIME": str(runtime / name.replace(" ", "_"))}
    proc = subprocess.Popen([sys.executable, *[a.replace("{port}", str(port)) for a in args]], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        wait_for(port, proc)
        search_clients(port, 2)  # warm: the index opened in every worker
        rows.append(row(name, "search alone", search_clients(port, seconds), seconds))
        stop, answers = threading.Event(), {}
        flooders = [threading.Thread(target=flood, args=(port, stop, answers, i)) for i in range(FLOOD_CLIENTS)]
        for t in flooders:
            t.start()
        result = search_clients(port, seconds)
        stop.set()
        for t in flooders:
            t.join()
        told = ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))
        rows.append(row(name, f"while {FLOOD_CLIENTS} clients flood the tracker", result, seconds,
                        f"tracker answers {told}"))
        stop = threading.Event()
        laggards = [threading.Thread(target=slow, args=(port, stop), daemon=True) for _ in range(SLOW_CLIENTS)]
        for t in laggards:
            t.start()
        time.sleep(4)
        rows.append(row(name, f"with {SLOW_CLIENTS} slow clients", search_clients(port, seconds), seconds))
        stop.set()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/serve.md")
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_site(Path(tmp))
        output = build_atomically(root).output
        lines = ["| server | scenario | search req/s | p50 ms | p95 ms | max ms | errors | |", "|---" * 8 + "|"]
        for name in a.servers.split(","):
            lines += run(name, SERVERS[name], output, Path(tmp), a.seconds)
            print("\n".join(lines[-3:]), flush=True)
    table = "\n".join(lines)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(f"# Server set-ups ({SEARCH_CLIENTS} search clients × {a.seconds:.0f} s each, loopback)\n\n"
                     f"{table}\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
