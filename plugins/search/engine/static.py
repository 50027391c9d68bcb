"""The static search index: one generation of the service's index, written as immutable,
content-addressed files that the browser searches (theme/static/js/search-engine.js) on a
host with no search service (docs/search.md, "Search without a server").

Everything here is read from the Whoosh index itself (its terms, postings, field lengths and
display column), never from a second analysis of the documents, so the two indexes hold
the same terms for the same documents.  Files, under the folder given to `export`:

    manifest.json        small, not content-addressed: counts, fields, constants, file names,
                         and the content hash of each page of the directory
    d/<n>.<h>.bin        directory page n: the content hashes (6 bytes each) of 64 files of the
                         slots below, in order: buckets, meta files, shows files, date files
    b/<n>.<h>.bin        bucket n: the entries whose anchor hashes to n (FNV-1a), postings inline
    p/<h>.bin            postings too large to sit in a bucket
    m/<n>.<h>.bin        per document 256n … 256n+255: year, column, title length, field lengths
    t/<n>.<h>.bin        per document 256n … 256n+255: date (fetched to sort by date or break ties)
    s/<n>.<h>.json       what results show for documents 16n … 16n+15
    t2s.<h>.json         traditional → simplified characters, fetched only for a query that has one

An entry is a key and its postings: `g`+gram (documents holding a Han character or pair,
index.GRAMS), `t`+gram (title cores holding a character or pair: Titles.containing),
`w`+word (per text field, its term frequency in each document) and `i`+identifier.  A gram's
anchor is itself; a word's is its first two characters, so the buckets a query fetches for
its pairs also hold every word that starts there (what the browser segments the query with);
an identifier's is its key.  Static document numbers stay with their key from export to
export (`ids`), so an edit changes only the files that hold that document.
"""
from __future__ import annotations

import gzip
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import brotli
import numpy as np

from foundation.textnorm import traditional_map

from .analysis import STOPWORDS, title_core
from .arrays import _BYTE_LENGTHS
from .index import text_fields
from .runs import RANK_DF, RUN_BONUS
from .searcher import B, ID_EXACT, K1, TITLE_CONTAINS, TITLE_EXACT, Searcher
from .static_codec import bucket_entries, bucket_keys, fnv1a, ids_blob, short_hash, varint, varints
from .static_grams import gram_rows, gram_text, han_grams, term_postings

FORMAT = 3
MANIFEST = "manifest.json"
# Postings whose encoding is longer than this get a file of their own (one fetch of exactly
# what a query needs); shorter ones sit in their bucket.
OWN_FILE_BYTES = 2048
# Buckets are sized for about this many bytes each (before compression): a query fetches one
# per character pair, so smaller buckets mean fewer bytes a query and more files.
BUCKET_BYTES = 4096
MAX_BUCKETS = 8192
SHOWS_PER_FILE = 16
# Per-document data in files of this many documents: a query reads those of the documents it
# matches (all of them, for a query that matches nearly everything; 90 KB compressed at 20,000
# documents, more than a typical query's every other file together).
META_PER_FILE = 256
# Content hashes per directory page: a query reads the pages of the files it needs (a single
# directory of every bucket's hash was 57 KB at 20,000 documents).
PAGE_SLOTS = 64
# Files from this size are also written compressed, for hosts that serve a precompressed copy
# (nginx gzip_static / brotli_static, most CDNs); smaller ones (most buckets) are left to the
# host's own compression: copies of every file tripled the file count (25,900 files for the
# laws corpus) for a few hundred bytes each.  Brotli at quality 5 and gzip at 6: quality 9 and
# level 9 took 4.7 of a 16 s export of the laws corpus for 3 % smaller files.
COMPRESS_FROM = 4096
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
_SHOW_KEYS = ("url", "title", "column", "date", "index_no", "doc_no", "summary", "validity")


@dataclass
class ExportStats:
    files: int = 0
    written: int = 0          # files that were not already in `previous`
    bytes: int = 0
    buckets: int = 0
    own_files: int = 0
    shows_files: int = 0
    documents: int = 0


class _Writer:
    """Content-addressed files under `root`; a file an earlier export wrote is linked, not written."""

    def __init__(self, root: Path, previous: Path | None, stats: ExportStats):
        self.root, self.previous, self.stats = root, previous, stats

    def put(self, name: str, data: bytes, addressed: bool = False) -> str:
        path = self.root / name
        if self.root not in path.parents:
            raise ValueError(f"{name} is not a file name under {self.root}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.stats.files += 1
        self.stats.bytes += len(data)
        old = self.previous / name if self.previous and addressed else None
        variants = [("", lambda: data)]
        if len(data) >= COMPRESS_FROM:
            variants += [(".gz", lambda: gzip.compress(data, GZIP_LEVEL, mtime=0)),
                         (".br", lambda: brotli.compress(data, quality=BROTLI_QUALITY))]
        for suffix, make in variants:
            target = path.with_name(path.name + suffix)
            if old is not None and old.with_name(old.name + suffix).is_file():
                try:
                    os.link(old.with_name(old.name + suffix), target)
                    continue
                except OSError:
                    pass
            target.write_bytes(make())
            self.stats.written += not suffix
        return name

    def addressed(self, folder: str, stem: str, suffix: str, data: bytes) -> tuple[str, str]:
        h = short_hash(data)
        prefix = "/".join(p for p in (folder, stem) if p) + ("." if stem else "/")
        return self.put(f"{prefix}{h}{suffix}", data, addressed=True), h


def static_current(folder: Path) -> bool:
    """Whether `folder` holds a complete static index of this format (an older one is rewritten)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError):
        return False


def assign_ids(keys: Iterable[str], previous: dict[str, int]) -> dict[str, int]:
    """Static document numbers: a key keeps its number; new keys take the lowest free ones, in
    the order given (the index's document order, which the service breaks exact ties by)."""
    keys = list(keys)
    wanted = set(keys)
    out = {k: n for k, n in previous.items() if k in wanted}
    used = set(out.values())
    free = (n for n in range(len(keys) + len(previous) + 1) if n not in used)
    for k in keys:
        if k not in out:
            out[k] = next(free)
    return out


def export(index: Path, out: Path, previous: Path | None = None,
           previous_ids: dict[str, int] | None = None) -> tuple[ExportStats, dict[str, int]]:
    """Write the static index of the Whoosh index at `index` into the new folder `out`.

    `previous` is the folder of the last export (its unchanged files are hard-linked) and
    `previous_ids` its static document numbers; returns what was written and the numbers."""
    stats = ExportStats()
    out.mkdir(parents=True)
    writer = _Writer(out, previous, stats)
    s = Searcher(index)
    try:
        return _export(s, writer, stats, previous_ids or {})
    finally:
        s.close()


class _Entries:
    """A bucket's entries as they are made: a key, its documents (and a word's collection
    frequency), then its postings inline or the name of their own file."""

    def __init__(self, writer: _Writer):
        self.writer = writer
        self.items: list[tuple[str, str, bytes]] = []  # (anchor, key, entry bytes)
        self.own = 0
        self.total_cf = 0

    def add(self, anchor: str, key: str, df: int, blob: bytes, cf: int | None = None) -> None:
        kb = key.encode("utf-8")
        head = varint(len(kb)) + kb + varint(df) + (varint(cf) if cf is not None else b"")
        if len(blob) > OWN_FILE_BYTES:
            name, _h = self.writer.addressed("p", "", ".bin", blob)
            self.own += 1
            nb = name.encode("ascii")
            self.items.append((anchor, key, head + b"\x01" + varint(len(nb)) + nb))
        else:
            self.items.append((anchor, key, head + b"\x00" + varint(len(blob)) + blob))
        self.total_cf += cf or 0

    def write(self) -> tuple[int, list[str]]:
        """Write the buckets: (their count, each one's content hash)."""
        buckets = _bucket_count(sum(len(e) for _a, _k, e in self.items))
        grouped: list[list[tuple[str, bytes]]] = [[] for _ in range(buckets)]
        hashed: dict[str, int] = {}
        for anchor, key, data in self.items:
            n = hashed.get(anchor)
            if n is None:
                n = hashed[anchor] = fnv1a(anchor) % buckets
            grouped[n].append((key, data))
        self.items = []
        hashes = []
        for n, group in enumerate(grouped):
            group.sort()
            hashes.append(self.writer.addressed("b", str(n), ".bin", b"".join(d for _k, d in group))[1])
        return buckets, hashes


@dataclass
class _Docs:
    """The live documents of a generation and their static numbers."""

    shows: dict[int, dict[str, Any]]   # by static number
    ids: dict[str, int]
    sid_of: np.ndarray                 # static number of each Whoosh document number, -1 if none
    slots: int

    @classmethod
    def of(cls, s: Searcher, previous_ids: dict[str, int]) -> "_Docs":
        shows = {int(d): s.shows[int(d)] for d in np.flatnonzero(s.live)}
        ids = assign_ids((show["key"] for show in shows.values()), previous_ids)
        sid_of = np.full(s.n, -1, dtype=np.int64)
        for d, show in shows.items():
            sid_of[d] = ids[show["key"]]
        return cls({ids[show["key"]]: show for show in shows.values()}, ids, sid_of,
                   max(ids.values(), default=-1) + 1)


def _export(s: Searcher, writer: _Writer, stats: ExportStats,
            previous_ids: dict[str, int]) -> tuple[ExportStats, dict[str, int]]:
    docs = _Docs.of(s, previous_ids)
    stats.documents = len(docs.shows)
    fields = text_fields(s.spec)
    # Fields no document has a term in are left out (most of a schema's text fields, on a site
    # of one column): a word's field bits and the per-document lengths count only the others.
    used = [name for name, _boost in fields if any(f"t_{name}" in seg._terms._fieldmap for seg, _o in s._leaves)]
    entries = _Entries(writer)
    _gram_entries(s, docs, entries)
    _word_entries(s, docs, {f"t_{name}": n for n, name in enumerate(used)}, entries)
    cores = {sid: title_core(show.get("title", "")) for sid, show in docs.shows.items()}
    _title_entries(cores, entries)
    buckets, slots = entries.write()
    stats.buckets, stats.own_files = buckets, entries.own
    metas, dates, avgs = _meta(s, docs.sid_of, docs.slots, cores, used)
    slots += [writer.addressed("m", str(n), ".bin", data)[1] for n, data in enumerate(metas)]
    shows = _shows_files(docs)
    slots += [writer.addressed("s", str(n), ".json", data)[1] for n, data in enumerate(shows)]
    stats.shows_files = len(shows)
    slots += [writer.addressed("t", str(n), ".bin", data)[1] for n, data in enumerate(dates)]
    pages = [writer.addressed("d", str(n // PAGE_SLOTS), ".bin",
                              b"".join(bytes.fromhex(h) for h in slots[n:n + PAGE_SLOTS]))[1]
             for n in range(0, len(slots), PAGE_SLOTS)]
    boosts = dict(fields)
    manifest = {
        "format": FORMAT,
        "count": len(docs.shows), "slots": docs.slots,
        "fields": [[name, boosts[name], avg] for name, avg in zip(used, avgs)],
        "byte_lengths": _BYTE_LENGTHS.tolist(),
        "columns": [[k, s.column_names.get(k, k)] for k in s.column_keys],
        "years": s.year_keys,
        "buckets": buckets, "meta_files": len(metas), "shows_per_file": SHOWS_PER_FILE,
        "shows_files": len(shows), "date_files": len(dates),
        "meta_per_file": META_PER_FILE, "page_slots": PAGE_SLOTS, "pages": "".join(pages),
        "total_cf": max(entries.total_cf, 1),
        "constants": {"K1": K1, "B": B, "TITLE_CONTAINS": TITLE_CONTAINS, "TITLE_EXACT": TITLE_EXACT,
                      "ID_EXACT": ID_EXACT, "RUN_BONUS": RUN_BONUS, "RANK_DF": RANK_DF},
        "stopwords": sorted(STOPWORDS),
        "traditional": writer.addressed("", "traditional", ".bin", _traditional_bits())[0],
        "t2s": writer.addressed("", "t2s", ".json",
                                json.dumps(traditional_map(), ensure_ascii=False).encode("utf-8"))[0],
    }
    writer.put(MANIFEST, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
    return stats, docs.ids


def _gram_entries(s: Searcher, docs: _Docs, entries: _Entries) -> None:
    """Han characters, pairs and triples, from each document's Han column (index.HAN): the text
    the companion terms (index.GRAMS) are made of and the service checks runs in.  A triple in
    as many documents as its first pair is in exactly those (it cannot narrow a run's
    candidates): it is left out, and the browser takes a missing triple as telling nothing
    (two of every three triples of the laws corpus are kept)."""
    for codes, members in han_grams(s, docs.sid_of):
        rows, owned = gram_rows(codes, members, OWN_FILE_BYTES)
        entries.items += rows
        for code, df, blob in owned:
            text = gram_text(code)
            entries.add(text[:2], "g" + text, df, blob)


def _word_entries(s: Searcher, docs: _Docs, field_no: dict[str, int], entries: _Entries) -> None:
    """Words (every text field's postings of a term merged: one term frequency per field, up to
    255) and identifiers, read segment by segment in the order of their term tables."""
    words, idents = term_postings(s, docs.sid_of, field_no)
    for text, members in idents.items():
        entries.add("i" + text, "i" + text, int(members.size), ids_blob(members))
    for text, per_field in words.items():
        members = np.unique(np.concatenate([d for d, _tf in per_field.values()]))
        mask = 0
        tfs = []
        for n in sorted(per_field):
            mask |= 1 << n
            column = np.zeros(members.size, dtype=np.uint8)
            d, tf = per_field[n]
            column[np.searchsorted(members, d)] = np.minimum(tf, 255).astype(np.uint8)
            tfs.append(column.tobytes())
        cf = int(sum(float(tf.sum()) for _d, tf in per_field.values()))
        entries.add(text[:2], "w" + text, int(members.size), bytes([mask]) + ids_blob(members) + b"".join(tfs), cf)


def _title_entries(cores: dict[int, str], entries: _Entries) -> None:
    """Title grams: the characters and pairs of each title core (Titles.containing)."""
    titled: dict[str, list[int]] = defaultdict(list)
    for sid, c in cores.items():
        for gram in set(c) | {c[i:i + 2] for i in range(len(c) - 1)}:
            titled[gram].append(sid)
    for gram, members in titled.items():
        entries.add(gram, "t" + gram, len(members), ids_blob(np.array(sorted(members), dtype=np.int64)))


def _shows_files(docs: _Docs) -> list[bytes]:
    """What results show, SHOWS_PER_FILE documents a file (null for a free number)."""
    def show(sid: int) -> dict[str, Any] | None:
        found = docs.shows.get(sid)
        return None if found is None else {k: found.get(k, "") for k in (*_SHOW_KEYS, "column_name")}

    return [json.dumps([show(sid) for sid in range(n, n + SHOWS_PER_FILE)], ensure_ascii=False).encode("utf-8")
            for n in range(0, docs.slots, SHOWS_PER_FILE)]


# The code points the traditional-character bitmap covers (the CJK blocks OpenCC converts in).
TRADITIONAL_FROM, TRADITIONAL_TO = 0x3400, 0xA000


def _traditional_bits() -> bytes:
    """One bit per code point from TRADITIONAL_FROM: set for a character the t2s table converts.
    3.4 KB, where the table is 15 KB compressed: a query fetches the table only when it has one."""
    bits = np.zeros(TRADITIONAL_TO - TRADITIONAL_FROM, dtype=bool)
    for c in traditional_map():
        if TRADITIONAL_FROM <= ord(c) < TRADITIONAL_TO:
            bits[ord(c) - TRADITIONAL_FROM] = True
    return np.packbits(bits, bitorder="little").tobytes()


def _bucket_count(total: int) -> int:
    n = 1
    while n < MAX_BUCKETS and n * BUCKET_BYTES < total:
        n *= 2
    return n


def _meta(s: Searcher, sid_of: np.ndarray, m: int, cores: dict[int, str],
          names: list[str]) -> tuple[list[bytes], list[bytes], list[float]]:
    """Per static document, in files of META_PER_FILE, column after column: year (uint8, its
    place in the manifest's "years", 255 for none), column (uint8, 255 for a free number),
    title core length (uint8) and each field's length as Whoosh keeps it (one byte; manifest
    "byte_lengths" decodes it); the dates (int32 YYYYMMDD, 0 for none) in files of their own;
    and each field's mean length.

    Dates apart because every query fetches the meta of the documents it matches (to score
    them and count their years), but only a sort by date or a tie at the top needs the day:
    the dates were 44 of the 74 KB of all meta compressed at 20,000 documents (docs/search.md)."""
    live = sid_of >= 0
    at = sid_of[live]
    date = np.zeros(m, dtype="<i4")
    date[at] = s.date_of[live]
    if len(s.year_keys) > 255:
        raise ValueError(f"发布日期跨了 {len(s.year_keys)} 个年份，静态检索索引最多记 255 个")
    year = np.full(m, 255, dtype=np.uint8)  # the searcher's year index; 255: no date
    year[at] = np.where(s.date_of[live] > 0, s.year_of[live], 255)
    column = np.full(m, 255, dtype=np.uint8)
    column[at] = s.column_of[live]
    title = np.zeros(m, dtype=np.uint8)
    for sid, c in cores.items():
        title[sid] = min(max(len(c), 1), 255)
    columns = [year, column, title]
    avgs = []
    for name in names:
        lens, avg = s._lengths[name]
        code = np.zeros(m, dtype=np.uint8)
        code[at] = np.searchsorted(_BYTE_LENGTHS, lens[live]).astype(np.uint8)
        columns.append(code)
        avgs.append(avg)
    files = [b"".join(c[n:n + META_PER_FILE].tobytes() for c in columns) for n in range(0, m, META_PER_FILE)]
    dates = [date[n:n + META_PER_FILE].tobytes() for n in range(0, m, META_PER_FILE)]
    return files, dates, avgs


__all__ = ["ExportStats", "FORMAT", "MANIFEST", "assign_ids", "static_current", "bucket_entries", "bucket_keys", "export", "fnv1a",
           "varints"]
