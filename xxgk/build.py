"""Run a Pelican build of an xxgk site and turn its failures into clean messages."""
from __future__ import annotations

import errno
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings

from foundation import build_state
from foundation.errors import ContentError, Problem, SettingsError, XxgkError


class BuildError(XxgkError):
    """Pelican reported errors while building (logged at ERROR level)."""


class StorageError(XxgkError):
    """The disk is full, read-only, or the folder cannot be written: nothing the content can fix."""


# What the operating system says, as errno and as the words libraries pass on (lxml: IO_ENOSPC).
_STORAGE = (
    ((errno.ENOSPC, errno.EDQUOT), ("No space left", "IO_ENOSPC", "[Errno 28]", "Disk quota"),
     "磁盘空间已满，无法写入 {where}。请清理磁盘（例如删除 {builds} 中不用的旧版本）后重试"),
    ((errno.EROFS,), ("Read-only file system", "[Errno 30]", "IO_EROFS"),
     "{where} 所在的磁盘是只读的，无法写入。请换一个可写的文件夹（--output），或请管理员改为可写"),
    ((errno.EACCES, errno.EPERM), ("Permission denied", "[Errno 13]", "Operation not permitted", "IO_EACCES"),
     "没有权限写入 {where}。请检查该文件夹的权限，或用有写入权限的账户运行"),
)


def storage_problem(exc: BaseException, folder: Path) -> str:
    """The plain sentence for a failure to write (disk full, read-only, no permission), or ''."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    for codes, words, sentence in _STORAGE:
        for e in seen:
            if (isinstance(e, OSError) and e.errno in codes) or any(w in str(e) for w in words):
                where = getattr(e, "filename", None) if isinstance(e, OSError) else None
                where = Path(where).parent if where and not Path(where).is_dir() else (where or folder)
                return sentence.format(where=where, builds=folder) + "。网站没有更新，原来的网站未受影响。"
    return ""


@dataclass
class BuildResult:
    output: Path
    warnings: list[str] = field(default_factory=list)


class LogRecorder(logging.Handler):
    """Collect warnings and errors that Pelican and the plugins log during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load_settings(root: Path, publish: bool = False, output: Path | None = None,
                  overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read pelicanconf.py (or publishconf.py) of the site at `root`, with overrides."""
    conf = root / ("publishconf.py" if publish else "pelicanconf.py")
    if not conf.is_file():
        raise SettingsError(f"找不到设置文件 {conf}")
    override: dict[str, Any] = {"PATH": str(root / "content"), "THEME": str(root / "theme")}
    if output is not None:
        override["OUTPUT_PATH"] = str(output)
    else:
        override["OUTPUT_PATH"] = str(root / "output")
    override.update(overrides or {})
    return read_settings(str(conf), override=override)


# Pelican drops a warning it has already logged in this process (its LimitFilter); `xxgk serve`
# builds again and again in one process, and every build must report all of its own warnings.
# Pelican's documented --logs-dedup-min-level sets this: only INFO and below are deduplicated.
LimitFilter.LOGS_DEDUP_MIN_LEVEL = logging.INFO


def build(settings: dict[str, Any]) -> BuildResult:
    """Build the site; raise ContentError/SettingsError/BuildError with every problem.

    Pelican sends its signals to the plugins in the order of PLUGINS (pelicanconf.py,
    docs/architecture.md); work a plugin started beside Pelican (the search index) and no
    plugin waited for is joined here, after Pelican has written everything."""
    settings = build_state.fresh(settings)
    state = build_state.of(settings)
    recorder = LogRecorder()
    root_logger = logging.getLogger()
    root_logger.addHandler(recorder)
    try:
        Pelican(settings).run()
        state.join_all()
    finally:
        state.cancel()  # what a failed build left running
        root_logger.removeHandler(recorder)
    errors = [r.getMessage() for r in recorder.records if r.levelno >= logging.ERROR]
    if errors:
        # Pelican logs some failures (e.g. a plugin that cannot register, a
        # template error) and carries on; a disclosure site must not publish
        # half-right output, so any logged error fails the build.
        raise BuildError("构建时出现错误:\n" + "\n".join(errors))
    # A logged Problem is shown after 「警告: 」 by its callers: without its own 「警告: 」 again.
    warnings = [r.args[0].logged() if isinstance(r.args, tuple) and r.args and isinstance(r.args[0], Problem)
                else r.getMessage() for r in recorder.records if r.levelno == logging.WARNING]
    return BuildResult(Path(settings["OUTPUT_PATH"]), warnings)


BUILDS_DIR = ".xxgk-builds"  # beside the output link: one folder per build, the link points at one
# Previews (make serve, make html) build here, with caches of their own: a preview and `make
# publish` never write the same place, so the public site in output/ is never a preview.
PREVIEW_DIR = ".xxgk-preview"


def default_output(root: Path, publish: bool) -> Path:
    """Where a build goes when no folder is given: output/ for publishing, the preview folder otherwise."""
    return root / "output" if publish else root / PREVIEW_DIR / "output"


def preview_overrides(root: Path, feed_domain: str | None = None) -> dict[str, Any]:
    """Settings of a preview build: its own caches, and (when served) the address it is served on.

    A served preview (make serve) answers searches with the service, so it writes no static
    search index: exporting one after every edit cost 7 of the 10 s of an edit rebuild of the
    laws corpus (BENCHMARKS.md)."""
    cache = root / PREVIEW_DIR / "cache"
    out: dict[str, Any] = {"XXGK_CACHE_PATH": str(cache)}  # the index goes in its `search` folder
    if feed_domain:
        out["FEED_DOMAIN"] = feed_domain
        out["XXGK_STATIC_SEARCH"] = False
    return out
KEEP_BUILDS = 2               # the live build and the one before it (for a quick rollback)


def _swap(link: Path, target: Path) -> None:
    """Point `link` at `target` in one atomic step (a renamed symlink), replacing what was there."""
    builds = target.parent
    if link.exists() and not link.is_symlink():
        # First atomic build over a plain folder: keep the old site as a build of its own.
        link.rename(builds / f"previous-{time.strftime('%Y%m%d%H%M%S')}")
    tmp = link.parent / f".{link.name}.link-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(os.path.relpath(target, link.parent))
    os.replace(tmp, link)


def _prune(builds: Path, live: Path) -> None:
    """Remove old builds and leftovers of interrupted ones, keeping the newest KEEP_BUILDS."""
    entries = sorted((p for p in builds.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    keep = {live.resolve()} | {p.resolve() for p in entries[:KEEP_BUILDS]}
    for p in entries:
        if p.resolve() not in keep:
            shutil.rmtree(p, ignore_errors=True)


def build_atomically(root: Path, publish: bool = False, output: Path | None = None,
                     overrides: dict[str, Any] | None = None) -> BuildResult:
    """Build into a fresh folder; only when everything succeeded, switch `output` to it.

    `output` becomes a symlink to the live build, replaced by one rename, so a
    web server never sees a half-written site and a build that fails or is
    killed at any point leaves the previous site untouched.
    """
    link = (output or root / "output").absolute()
    builds = link.parent / BUILDS_DIR
    try:
        builds.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(storage_problem(exc, builds) or f"无法创建文件夹 {builds}：{exc}") from exc
    target = builds / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    # Unchanged files of the live build are linked into the new one (plugins.reuse).
    previous = link.resolve() if link.is_dir() else None
    overrides = {**({"XXGK_PREVIOUS_OUTPUT": str(previous)} if previous else {}), **(overrides or {})}
    settings = load_settings(root, publish, target, overrides)
    try:
        result = build(settings)
        _swap(link, target)
    except BaseException as exc:
        shutil.rmtree(target, ignore_errors=True)
        # Content errors are the editor's; only what failed to be written is the disk's.
        writing = isinstance(exc, Exception) and (isinstance(exc, BuildError) or not isinstance(exc, XxgkError))
        problem = storage_problem(exc, builds) if writing else ""
        if problem:
            raise StorageError(problem) from exc
        raise
    _prune(builds, target)
    return BuildResult(link, result.warnings)


__all__ = ["PREVIEW_DIR", "BuildError", "BuildResult", "StorageError", "default_output", "preview_overrides", "ContentError", "SettingsError", "build", "build_atomically",
           "load_settings"]
