"""The tracker's limiter holds across processes and threads, per client, behind a trusted proxy only."""
from __future__ import annotations

import multiprocessing
from pathlib import Path
from types import SimpleNamespace

import pytest

from plugins.applications import limiter as limiter_module
from plugins.applications.limiter import Limiter, client_of


def _hold(folder: str, ready: multiprocessing.Event, release: multiprocessing.Event) -> None:
    with Limiter(Path(folder), slots=1, per_minute=600, burst=100).derivation("a") as refused:
        assert refused is None
        ready.set()
        release.wait(10)


def test_a_slot_taken_in_another_process_is_busy_here(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(str(tmp_path), ready, release))
    other.start()
    assert ready.wait(10)
    limiter = Limiter(tmp_path, slots=1, per_minute=600, burst=100)
    with limiter.derivation("b") as refused:
        assert refused is not None and refused.status == 503
    release.set()
    other.join(10)
    with limiter.derivation("b") as refused:   # released when the other finished (or died)
        assert refused is None


def test_slots_hold_between_threads_of_one_process(tmp_path: Path) -> None:
    limiter = Limiter(tmp_path, slots=2, per_minute=600, burst=100)
    with limiter.derivation("a") as first, limiter.derivation("b") as second, limiter.derivation("c") as third:
        assert first is None and second is None and third is not None and third.status == 503


def test_tokens_come_back_with_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The limiter's clock is set, not waited for: a token is back exactly when its second has passed.
    now = [1_700_000_000.0]
    monkeypatch.setattr(limiter_module, "time", SimpleNamespace(time=lambda: now[0]))
    limiter = Limiter(tmp_path, slots=1, per_minute=60, burst=1)
    with limiter.derivation("a") as refused:
        assert refused is None
    with limiter.derivation("a") as refused:
        assert refused is not None and refused.status == 429 and refused.retry_after == 1
    now[0] += 0.5
    with limiter.derivation("a") as refused:
        assert refused is not None and refused.status == 429
    now[0] += 0.6
    with limiter.derivation("a") as refused:
        assert refused is None


def test_forwarded_addresses_are_believed_only_from_a_trusted_proxy() -> None:
    env = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_of(env, frozenset()) == "203.0.113.5"            # a client cannot name itself another
    behind = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1"}
    assert client_of(behind, frozenset({"127.0.0.1"})) == "198.51.100.1"   # the rightmost untrusted hop
    assert client_of({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},
                     frozenset({"127.0.0.1"})) == "127.0.0.1"
