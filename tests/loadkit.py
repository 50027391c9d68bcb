"""A bounded load generator for the site service on loopback (used by tests and by make bench).

Each of N clients keeps one HTTP/1.1 connection and requests a mix of search
pages, search JSON, tracker queries and static pages until the time or the
request budget is spent.  Only loopback addresses are ever targeted.
"""
from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlparse

QUERIES = ("安全生产", "融资租赁", "预算", "行政处罚", "政府信息公开", "津东疆管发〔2025〕2号", "津东疆管发(2025)2号",
           "\"法治政府建设\"", "消防 检查", "AND (", "*:*", "<script>alert(1)</script>", "东疆 2024", "三公经费",
           "完全不存在的词语组合", "x" * 120)
PAGES = ("/", "/tzgg/", "/xzcf/", "/czyjs/2025-00004.html", "/zcwj/validity/yx/", "/feeds/all.atom.xml",
         "/ysqgk/", "/nb/2023.html", "/theme/css/site.css")


def mixed_paths(rng: random.Random, pages: tuple[str, ...] = PAGES) -> str:
    """One request of the mix: 60 % search HTML/JSON, 10 % tracker, 30 % static."""
    roll = rng.random()
    q = quote(rng.choice(QUERIES))
    if roll < 0.4:
        extra = rng.choice(["", "&sort=date", "&page=2", "&column=zcwj", "&year=2025"])
        return f"/search?q={q}{extra}"
    if roll < 0.6:
        return f"/search.json?q={q}"
    if roll < 0.7:
        return "/ysqgk/query?number=DJ-2026-0001&code=" + rng.choice(["Y8MS-UA5C-AG", "ABCD-EFGH-JK"])
    return rng.choice(pages)


def kind_of(path: str) -> str:
    """The request's kind, for latency by kind (the tracker's key derivation is slow on purpose)."""
    if path.startswith("/search.json"):
        return "search.json"
    if path.startswith("/search"):
        return "search"
    if path.startswith("/ysqgk/query"):
        return "tracker"
    return "static"


@dataclass
class LoadStats:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)

    def kind_p95(self, kind: str) -> float:
        data = sorted(self.by_kind.get(kind, []))
        return data[min(len(data) - 1, int(round(0.95 * (len(data) - 1))))] if data else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))]

    def summary(self) -> dict[str, float]:
        return {"requests": self.requests, "errors": len(self.errors), "rps": self.requests / max(self.seconds, 1e-9),
                "p50_ms": self.percentile(50), "p95_ms": self.percentile(95), "p99_ms": self.percentile(99),
                "mean_ms": statistics.fmean(self.latencies_ms) if self.latencies_ms else 0.0}


def run_load(base_url: str, clients: int = 8, seconds: float = 5.0, max_requests: int = 100_000,
             seed: int = 7, pages: tuple[str, ...] = PAGES) -> LoadStats:
    """Drive `clients` concurrent clients at `base_url` (loopback only) for at most `seconds`."""
    url = urlparse(base_url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("load tests target loopback only")
    stats = LoadStats()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    def client(n: int) -> None:
        rng = random.Random(seed + n)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            path = mixed_paths(rng, pages)
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                # The tracker answers "busy" (503) or "too often" (429) at once, with Retry-After, by design.
                refused = path.startswith("/ysqgk/query") and response.status in (429, 503) \
                    and response.getheader("Retry-After")
                ok = refused or (response.status < 500 and (response.status != 404 or "page=" in path or "query" in path))
                problem = "" if ok else f"{response.status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__} {path}"
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                stats.requests += 1
                stats.latencies_ms.append(elapsed)
                stats.by_kind.setdefault(kind_of(path), []).append(elapsed)
                if problem:
                    stats.errors.append(problem)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats.seconds = time.monotonic() - started
    return stats
