"""Caches that survive builds, so unchanged work is not done again (docs/performance.md).

Each cache is one SQLite file under the cache folder (setting XXGK_CACHE_PATH; default
`.xxgk-cache/` beside the content folder, like the search index), named by its purpose and a
fingerprint of everything its entries depend on besides their own key: the code that made
them, library versions, settings.  Another fingerprint is another file, so a changed setting
or an upgraded library never meets entries it did not make; the other files are removed.

An entry is key → (stamp, value): `get` returns the value only while the stamp (a digest of
what the value was made from) still matches.  Entries are read one by one when asked for, so
a big cache costs no memory; what a build added is written in one transaction at its end,
and entries the build did not use are deleted then (a deleted file's entry goes with it).
A cache file that cannot be read is replaced by an empty one (the build then does the work).
Setting XXGK_CACHE = False turns every cache off.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import logging
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any, Iterable

from .settings import build_setting

log = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, stamp BLOB, hint BLOB, value BLOB)"


def cache_folder(settings: dict[str, Any]) -> Path:
    """Where caches live (XXGK_CACHE_PATH, foundation/settings.py), whether or not they are used."""
    configured = build_setting(settings, "XXGK_CACHE_PATH")
    return Path(configured).resolve() if configured else Path(settings["PATH"]).resolve().parent / ".xxgk-cache"


def cache_root(settings: dict[str, Any]) -> Path | None:
    """The folder caches live in, or None when caching is turned off (XXGK_CACHE)."""
    return cache_folder(settings) if build_setting(settings, "XXGK_CACHE") else None


FOUNDATION = Path(__file__).resolve().parent


def code_files(*folders: Path) -> list[Path]:
    """The Python files under `folders` (tests left out): the code a cached result may depend on."""
    return sorted({p for folder in folders for p in Path(folder).resolve().rglob("*.py") if "tests" not in p.parts})


def code_digest(files: Iterable[Path]) -> str:
    """A digest of source files (the code whose output is cached)."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(f"{path.parent.name}/{path.name}".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def versions(*packages: str) -> dict[str, str]:
    out = {"python": sys.version}
    for name in packages:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = ""
    return out


# How entries are written (dumps below); another format is another file.
_FORMAT = 2


def fingerprint(*parts: Any) -> str:
    data = json.dumps([_FORMAT, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def stamp(data: bytes) -> bytes:
    """The content stamp of a file's bytes."""
    return hashlib.blake2b(data, digest_size=20).digest()


class _Pickler(pickle.Pickler):
    """Pickle that leaves the values it writes as they were.  The stock pickler encodes a
    non-ASCII string through CPython's UTF-8 cache, which then stays attached to the string
    for its whole life: the build's read cache made a second copy of every page's text that
    way (323 MB at 20,000 entries, shared with every forked worker; docs/performance.md).
    Such strings are written as their encoded bytes instead."""

    def persistent_id(self, obj: Any) -> bytes | None:
        if type(obj) is str and not obj.isascii():
            try:
                return obj.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: pickled the usual way (no cache then)
                return None
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: bytes) -> str:
        return pid.decode("utf-8")


def dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


class Cache:
    """Entries of one purpose, in `<root>/<name>-<fingerprint>.sqlite`; root None: a cache that keeps nothing."""

    def __init__(self, root: Path | None, name: str, fp: str):
        self.name = name
        self.file = root / f"{name}-{fp}.sqlite" if root else None
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._new: dict[str, tuple[bytes, Any, Any]] = {}
        self._used: set[str] = set()
        if self.file is not None:
            self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        assert self.file is not None
        for attempt in range(2):
            try:
                self.file.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.file, timeout=60, isolation_level=None)
                # Entries are read one by one, in no particular order: through a memory map
                # instead of read() calls into SQLite's small page cache.
                db.execute("PRAGMA mmap_size = 1073741824")
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM entries").fetchone()
                return db
            except (sqlite3.Error, OSError) as exc:
                if attempt == 0:
                    log.info("缓存 %s 无法读取（%s），重新建立", self.file, exc)
                    for path in self._files():
                        path.unlink(missing_ok=True)
                else:
                    log.warning("无法使用缓存 %s（%s）；本次构建不使用缓存", self.file, exc)
        return None

    def _files(self) -> list[Path]:
        assert self.file is not None
        return [p for p in self.file.parent.glob(f"{self.file.name}*")]

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _row(self, key: str) -> tuple[bytes, bytes] | None:
        if self._db is None:
            return None
        try:
            return self._db.execute("SELECT stamp, value FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None

    def get(self, key: str, stamp_: bytes) -> Any:
        """The value cached for `key` if its stamp is `stamp_`, else None."""
        if key in self._new:
            entry_stamp, _hint, value = self._new[key]
            if entry_stamp == stamp_:
                self.hits += 1
                return loads(dumps(value))  # a copy, as from the file
        else:
            row = self._row(key)
            if row is not None and row[0] == stamp_:
                try:
                    value = loads(row[1])
                except Exception:  # noqa: BLE001 - a damaged entry is a missing one
                    value = None
                if value is not None:
                    self._used.add(key)
                    self.hits += 1
                    return value
        self.misses += 1
        return None

    def hints(self) -> dict[str, Any]:
        """Every key's hint (what `put` was given), to guess cheaply which entries are still good."""
        if self._db is None:
            return {}
        try:
            return {k: loads(h) for k, h in self._db.execute("SELECT key, hint FROM entries") if h}
        except sqlite3.Error:
            return {}

    def put(self, key: str, stamp_: bytes, value: Any, hint: Any = None) -> None:
        if self._db is not None:
            self._new[key] = (stamp_, hint, value)

    def discard(self, key: str) -> None:
        self._new.pop(key, None)
        self._used.discard(key)

    def save(self) -> None:
        """Write what this build added, delete what it did not use, remove other fingerprints' files."""
        if self._db is None:
            return
        db, self._db = self._db, None
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                           ((k, s, dumps(h) if h is not None else None, dumps(v))
                            for k, (s, h, v) in self._new.items()))
            db.execute("CREATE TEMP TABLE kept (key TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", [(k,) for k in self._used | set(self._new)])
            db.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM kept)")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            log.warning("无法保存缓存 %s（%s）；下次构建会重新计算", self.file, exc)
        finally:
            db.close()
        assert self.file is not None
        for other in self.file.parent.glob(f"{self.name}-*.sqlite*"):
            if not other.name.startswith(self.file.name):
                other.unlink(missing_ok=True)

    def close(self) -> None:
        """Forget this build's additions (a build that is not saved)."""
        if self._db is not None:
            self._db.close()
            self._db = None


__all__ = ["FOUNDATION", "Cache", "cache_folder", "cache_root", "code_digest", "code_files", "fingerprint", "stamp", "versions"]
