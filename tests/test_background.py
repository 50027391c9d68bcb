"""Work beside Pelican (foundation.background): results, failures and log records come back to the build."""
from __future__ import annotations

import gc
import logging
import os
import time
from pathlib import Path

import pytest

from plugins.pii_guard import PrivacyError
from plugins.search import store
from tests.sitekit import Site, wait_until
from foundation import background
from foundation.errors import XxgkError

@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs fork whatever other threads an earlier test left in this worker (harmless for these
    small jobs; the build checks for them because the preview server's threads are real)."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        pytest.skip("needs fork and two cores")
    monkeypatch.setattr(background, "can_fork", lambda: True)


needs_fork = pytest.mark.usefixtures("forking")


class Refused(XxgkError):
    """A domain error raised in a child."""


def _child_work(marker: Path) -> int:
    logging.getLogger("plugins.search").warning("子进程的警告 %d", 7)
    marker.write_text(str(os.getpid()))
    return 42


@needs_fork
def test_a_job_runs_in_a_child_and_its_log_reaches_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "pid"
    job = background.start("测试", lambda: _child_work(marker))
    assert job.forked
    with caplog.at_level(logging.WARNING):
        assert job.result() == 42
        assert job.result() == 42  # a second wait returns the same, and logs nothing more
    assert int(marker.read_text()) != os.getpid()
    assert [r.getMessage() for r in caplog.records if r.name == "plugins.search"] == ["子进程的警告 7"]


@needs_fork
def test_a_childs_exception_is_raised_by_result() -> None:
    def fail() -> None:
        raise Refused("索引写入失败")

    job = background.start("测试", fail)
    with pytest.raises(Refused, match="索引写入失败"):
        job.result()


@needs_fork
def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    job = background.start("测试", lambda: os._exit(3))
    with pytest.raises(background.BackgroundError, match="意外终止.*3"):
        job.result()


@needs_fork
def test_cancel_all_stops_a_running_child(tmp_path: Path) -> None:
    running, marker = tmp_path / "running", tmp_path / "done"

    def slow() -> None:
        running.write_text("started")
        time.sleep(30)  # the work cancel_all interrupts, not a moment the test waits for
        marker.write_text("finished")

    job = background.start("测试", slow)
    wait_until(running.exists, "the child started its work", timeout=30)
    started = time.monotonic()
    background.cancel_all()
    assert time.monotonic() - started < 10
    assert not job._process.is_alive()
    with pytest.raises(background.BackgroundError, match="已取消"):
        job.result()
    assert not marker.exists()


def test_inline_when_forking_is_not_possible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "can_fork", lambda: False)
    pid = os.getpid()
    job = background.start("测试", os.getpid)
    assert not job.forked and job.result() == pid
    job = background.start("测试", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        job.result()


@needs_fork
def test_a_build_writes_its_index_beside_pelican(site: Site) -> None:
    """The index of a real build is written by a child process and is complete when the build returns."""
    site.entry("tzgg", 1, title="关于蓝鲸码头开放的通知", body="蓝鲸码头本周开放。")
    site.build()
    stats = store.build_stats(site.output)
    assert stats.total == stats.analysed and stats.total > 1
    assert not background._RUNNING


def test_a_failed_build_leaves_no_child_running(site: Site) -> None:
    site.entry("tzgg", 1, body="联系电话 13912345678。")  # the PII guard fails this build
    with pytest.raises(PrivacyError, match="隐私检查"):
        site.build()
    assert not background._RUNNING


def _square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@needs_fork
def test_map_in_order_yields_in_order_and_asks_ahead_only_so_far() -> None:
    """Results come in the items' order from worker processes, and the items are taken from
    their iterator only `ahead` chunks before the consumer asks (results do not pile up)."""
    taken: list[int] = []

    def items():
        for n in range(100):
            taken.append(n)
            yield n

    with background.workers(2) as pool:
        results = background.map_in_order(pool, _square, items(), chunksize=4, ahead=3)
        first = next(results)
        assert first[0] == 0 and first[1] != os.getpid()
        assert len(taken) <= 4 * 4  # the 3 chunks submitted up front, plus the one after the first
        rest = list(results)
    assert [r[0] for r in [first, *rest]] == [n * n for n in range(100)]


def _frozen_after_own_pool() -> tuple[int, int]:
    """In a job: objects frozen before and after using (and shutting down) a pool of its own."""
    before = gc.get_freeze_count()
    with background.workers(1) as pool:
        pool.submit(os.getpid).result()
    return before, gc.get_freeze_count()


@needs_fork
def test_objects_shared_with_children_stay_frozen_while_they_run() -> None:
    """The build's collector leaves alone what its children share (examining an object writes
    to it, and a written page is copied); once they are done, the build collects as usual.
    A child keeps what it inherited frozen even after its own workers are done."""
    shared = [object() for _ in range(1000)]  # made before the child: shared with it
    assert gc.get_freeze_count() == 0
    job = background.start("测试", _frozen_after_own_pool)
    assert gc.get_freeze_count() >= len(shared)
    with background.workers(1) as pool:
        pool.submit(os.getpid).result()
        assert gc.get_freeze_count() >= len(shared)
    assert gc.get_freeze_count() > 0  # the job still runs
    before, after = job.result()
    assert before >= len(shared) and after >= before
    assert gc.get_freeze_count() == 0
    job = background.start("测试", lambda: 1)
    job.cancel()
    assert gc.get_freeze_count() == 0
