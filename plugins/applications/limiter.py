"""Tracker key derivations bounded across every process of the deployment, and per client.

Each no-JavaScript tracker query derives a PBKDF2 key (600,000 rounds, about 0.3 s of a core)
on purpose: it is what makes guessing query codes infeasible.  Unbounded, eight clients
asking at once took search from 230 to 0.4 requests a second (issue 16): a semaphore per
process bounded nothing across gunicorn's workers, and waiting for it held a worker.  Here:

- **slots** are lock files (flock): at most `slots` derivations run at once in all the
  processes that serve one site together, whatever server runs them; a query that finds
  every slot taken is answered at once (503, Retry-After), never queued;
- **per client**, a token bucket in a small shared file (`buckets` entries, by a digest of
  the client's address) allows `per_minute` derivations a minute after a `burst`; over it, 429.
  Online guessing is then bounded per address as well as in total.

The client's address is REMOTE_ADDR; X-Forwarded-For is believed only when the request comes
from a proxy listed in `trusted_proxies` (the nginx in front), and then its rightmost address
that is not a trusted proxy.  Locks held by a process that dies are released by the kernel.
"""
from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

_BUCKET = struct.Struct("<dd")  # tokens, time of the last update


@dataclass(frozen=True)
class Refusal:
    status: int          # 429 (this client asks too often) or 503 (every slot is busy)
    retry_after: int     # seconds


def runtime_folder(output: Path) -> Path:
    """Where the processes serving `output` share their locks: one folder per site and user."""
    digest = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"xxgk-tracker-{os.getuid()}-{digest}"


def client_of(environ: dict, trusted_proxies: frozenset[str]) -> str:
    """The client's address: the peer's, or, behind a trusted proxy, the one it forwards."""
    peer = environ.get("REMOTE_ADDR", "") or "unknown"
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if peer not in trusted_proxies or not forwarded:
        return peer
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if hop not in trusted_proxies:
            return hop
    return peer


class Limiter:
    def __init__(self, folder: Path, slots: int = 1, per_minute: float = 6.0, burst: int = 3,
                 buckets: int = 4096):
        self.folder, self.slots, self.rate, self.burst, self.buckets = folder, slots, per_minute / 60, burst, buckets
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._table = folder / "clients.bin"
        with open(self._table, "ab") as f:
            if f.tell() < buckets * _BUCKET.size:
                f.truncate(buckets * _BUCKET.size)

    @contextmanager
    def derivation(self, client: str) -> Iterator[Refusal | None]:
        """A slot for one derivation for `client` (yields None), or why not (yields a Refusal)."""
        wait = self._take_token(client)
        if wait:
            yield Refusal(429, wait)
            return
        fd = self._take_slot()
        if fd is None:
            yield Refusal(503, 1)
            return
        try:
            yield None
        finally:
            os.close(fd)  # closing the descriptor releases its lock

    def _take_slot(self) -> int | None:
        for i in range(self.slots):
            fd = os.open(self.folder / f"slot-{i}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: also between threads
                return fd
            except BlockingIOError:
                os.close(fd)
        return None

    def _take_token(self, client: str) -> int:
        """0 when `client` may derive now (a token is spent), else the seconds until it may."""
        index = int.from_bytes(hashlib.sha256(client.encode()).digest()[:4], "big") % self.buckets
        offset = index * _BUCKET.size
        with open(self._table, "r+b") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # held for microseconds
            with mmap.mmap(f.fileno(), 0) as table:
                tokens, last = _BUCKET.unpack_from(table, offset)
                now = time.time()
                tokens = float(self.burst) if last == 0 else min(self.burst, tokens + max(0.0, now - last) * self.rate)
                if tokens >= 1:
                    _BUCKET.pack_into(table, offset, tokens - 1, now)
                    return 0
                _BUCKET.pack_into(table, offset, tokens, now)
                return max(1, int((1 - tokens) / self.rate + 0.999))


__all__ = ["Limiter", "Refusal", "client_of", "runtime_folder"]
