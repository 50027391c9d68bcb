"""The static search index: one generation of the service's index, written as immutable,
content-addressed files that the browser searches (theme/static/js/search-engine.js) on a
host with no search service (docs/search.md, "Search without a server").

Everything here is read from the Whoosh index itself (its terms, postings, field lengths and
display column), never from a second analysis of the documents, so the two indexes hold
the same terms for the same documents.  Files, under the folder given to `export`:

    manifest.json        small, not content-addressed: counts, fields, constants, file names,
                         and the content hash of each page of the directory
    d/<n>.<h>.bin        directory page n: the content hashes (6 bytes each) of 64 files of the
                         slots below, in order: buckets, then meta files, then shows files
    b/<n>.<h>.bin        bucket n: the entries whose anchor hashes to n (FNV-1a), postings inline
    p/<h>.bin            postings too large to sit in a bucket
    m/<n>.<h>.bin        per document 256n … 256n+255: date, column, title length, field lengths
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
import hashlib
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
from whoosh.codec.whoosh3 import W3TermInfo

from .arrays import _BYTE_LENGTHS, _decode_extent
from .index import text_fields
from .runs import CHECK_FEW, RANK_DF, RUN_BONUS
from .searcher import B, ID_EXACT, K1, TITLE_CONTAINS, TITLE_EXACT, Searcher

FORMAT = 2
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
HASH_CHARS = 12       # hex digits of a file's SHA-256 in its name (6 bytes)
# Every file is also written compressed, for hosts that serve a precompressed copy (nginx
# gzip_static / brotli_static, most CDNs): brotli at quality 9 compressed the laws corpus's
# index about as well as 11 in a tenth of the time; files shorter than this are left as they are.
COMPRESS_FROM = 512
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
_SHOW_KEYS = ("url", "title", "column", "date", "index_no", "doc_no", "summary", "validity")


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the browser computes the same (search-engine.js)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _varint_array(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unsigned LEB128 of each value (< 2**35) as one byte array, and where each value's bytes end."""
    v = values.astype(np.uint64)
    size = np.ones(v.size, dtype=np.int64)
    for k in range(1, 5):
        size += v >= (1 << (7 * k))
    ends = np.cumsum(size)
    starts = ends - size
    out = np.zeros(int(ends[-1]) if v.size else 0, dtype=np.uint8)
    for k in range(5):
        has = size > k
        byte = (v[has] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (size[has] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + k] = (byte | more).astype(np.uint8)
    return out, ends


def varints(values: np.ndarray) -> bytes:
    """Unsigned LEB128 of each value (< 2**35); vectorised for long arrays (numpy's cost per
    call is more than a short array's whole work: most terms have a few postings)."""
    if values.size < 64:
        out = bytearray()
        for n in values.tolist():
            while n >= 0x80:
                out.append((n & 0x7F) | 0x80)
                n >>= 7
            out.append(n)
        return bytes(out)
    return _varint_array(values)[0].tobytes()


_SMALL = [bytes([n]) for n in range(128)]


def _varint(n: int) -> bytes:
    if n < 128:
        return _SMALL[n]
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _ids_blob(sids: np.ndarray) -> bytes:
    """Sorted static document numbers, delta-coded."""
    return varints(np.diff(sids, prepend=0)) if sids.size else b""


def _short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


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
        h = _short_hash(data)
        prefix = "/".join(p for p in (folder, stem) if p) + ("." if stem else "/")
        return self.put(f"{prefix}{h}{suffix}", data, addressed=True), h


def static_current(folder: Path) -> bool:
    """Whether `folder` holds a complete static index of this format (an older one is rewritten)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError):
        return False


def assign_ids(keys: Iterable[str], previous: dict[str, int]) -> dict[str, int]:
    """Static document numbers: a key keeps its number; new keys take the lowest free ones."""
    keys = list(keys)
    wanted = set(keys)
    out = {k: n for k, n in previous.items() if k in wanted}
    used = set(out.values())
    free = (n for n in range(len(keys) + len(previous) + 1) if n not in used)
    for k in sorted(k for k in keys if k not in out):
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


def _export(s: Searcher, writer: _Writer, stats: ExportStats,
            previous_ids: dict[str, int]) -> tuple[ExportStats, dict[str, int]]:
    live = np.flatnonzero(s.live)
    shows = {int(d): s.shows[int(d)] for d in live}
    ids = assign_ids((shows[d]["key"] for d in shows), previous_ids)
    sid_of = np.full(s.n, -1, dtype=np.int64)
    for d, show in shows.items():
        sid_of[d] = ids[show["key"]]
    m = max(ids.values(), default=-1) + 1
    stats.documents = len(shows)
    fields = text_fields(s.spec)

    entries: list[tuple[str, str, bytes]] = []  # (anchor, key, entry bytes)
    own: dict[str, int] = {"n": 0}

    def entry(anchor: str, key: str, df: int, blob: bytes, cf: int | None = None) -> None:
        kb = key.encode("utf-8")
        head = _varint(len(kb)) + kb + _varint(df) + (_varint(cf) if cf is not None else b"")
        if len(blob) > OWN_FILE_BYTES:
            name, _h = writer.addressed("p", "", ".bin", blob)
            own["n"] += 1
            nb = name.encode("ascii")
            entries.append((anchor, key, head + b"\x01" + _varint(len(nb)) + nb))
        else:
            entries.append((anchor, key, head + b"\x00" + _varint(len(blob)) + blob))

    def sids(docnums: np.ndarray) -> np.ndarray:
        mapped = sid_of[docnums]
        return np.unique(mapped[mapped >= 0])

    # Han characters, pairs and triples, from each document's Han column (index.HAN): the text
    # the companion terms (index.GRAMS) are made of and the service checks runs in.
    # A triple in as many documents as its first pair is in exactly those (it cannot narrow a
    # run's candidates): it is left out, and the browser takes a missing triple as telling
    # nothing (two of every three triples of the laws corpus are kept).
    for codes, members in _han_grams(s, sid_of):
        pair_df: dict[int, int] = {}
        for code, df, blob in _grouped_blobs(codes, members):
            if code >> 48:
                if pair_df.get((code >> 16) & 0xFFFFFFFF) == df:
                    continue
            elif code >> 16:
                pair_df[code] = df
            text = _gram_text(code)
            entry(text[:2], "g" + text, df, blob)
        del codes, members

    # Words (every text field's postings of a term, merged: one term frequency per field) and
    # identifiers, read segment by segment in the order of their term tables.
    # Fields no document has a term in are left out (most of a schema's text fields, on a site
    # of one column): a word's field bits and the per-document lengths count only the others.
    used_fields = {name for seg, _offset in s._leaves for name, _boost in fields
                   if f"t_{name}" in seg._terms._fieldmap}
    field_no = {f"t_{name}": n for n, name in enumerate(name for name, _boost in fields if name in used_fields)}
    words, idents = _term_postings(s, sid_of, field_no)
    for text, docs in idents.items():
        entry("i" + text, "i" + text, int(docs.size), _ids_blob(docs))
    total_cf = 0
    for text, per_field in words.items():
        docs = np.unique(np.concatenate([d for d, _tf in per_field.values()]))
        mask = 0
        tfs = []
        for n in sorted(per_field):
            mask |= 1 << n
            column = np.zeros(docs.size, dtype=np.uint8)
            d, tf = per_field[n]
            column[np.searchsorted(docs, d)] = np.minimum(tf, 255).astype(np.uint8)
            tfs.append(column.tobytes())
        cf = int(sum(float(tf.sum()) for _d, tf in per_field.values()))
        total_cf += cf
        entry(text[:2], "w" + text, int(docs.size), bytes([mask]) + _ids_blob(docs) + b"".join(tfs), cf)
    del words, idents

    # Title grams: the characters and pairs of each title core (Titles.containing).
    cores = {ids[show["key"]]: title_core(show.get("title", "")) for show in shows.values()}
    titled: dict[str, list[int]] = defaultdict(list)
    for sid, c in cores.items():
        for gram in set(c) | {c[i:i + 2] for i in range(len(c) - 1)}:
            titled[gram].append(sid)
    for gram, members in titled.items():
        docs = np.array(sorted(members), dtype=np.int64)
        entry(gram, "t" + gram, int(docs.size), _ids_blob(docs))
    del titled

    buckets = _bucket_count(sum(len(e) for _a, _k, e in entries))
    grouped: list[list[tuple[str, bytes]]] = [[] for _ in range(buckets)]
    hashed: dict[str, int] = {}
    for anchor, key, data in entries:
        n = hashed.get(anchor)
        if n is None:
            n = hashed[anchor] = fnv1a(anchor) % buckets
        grouped[n].append((key, data))
    del entries
    slots: list[str] = []
    for n, group in enumerate(grouped):
        group.sort()
        slots.append(writer.addressed("b", str(n), ".bin", b"".join(d for _k, d in group))[1])
    stats.buckets, stats.own_files = buckets, own["n"]

    present = [n for n, (name, _boost) in enumerate(fields) if name in used_fields]
    metas, avgs = _meta(s, sid_of, m, cores, [fields[n][0] for n in present])
    for n, data in enumerate(metas):
        slots.append(writer.addressed("m", str(n), ".bin", data)[1])

    by_sid = {ids[show["key"]]: show for show in shows.values()}
    for n in range((m + SHOWS_PER_FILE - 1) // SHOWS_PER_FILE):
        part = [({k: by_sid[sid].get(k, "") for k in _SHOW_KEYS} | {"column_name": by_sid[sid].get("column_name", "")})
                if sid in by_sid else None for sid in range(n * SHOWS_PER_FILE, (n + 1) * SHOWS_PER_FILE)]
        slots.append(writer.addressed("s", str(n), ".json", json.dumps(part, ensure_ascii=False).encode("utf-8"))[1])
    stats.shows_files = (m + SHOWS_PER_FILE - 1) // SHOWS_PER_FILE

    pages = []
    for n in range(0, len(slots), PAGE_SLOTS):
        pages.append(writer.addressed("d", str(n // PAGE_SLOTS), ".bin",
                                      b"".join(bytes.fromhex(h) for h in slots[n:n + PAGE_SLOTS]))[1])
    manifest = {
        "format": FORMAT,
        "count": len(shows), "slots": m,
        "fields": [[fields[n][0], fields[n][1], avg] for n, avg in zip(present, avgs)],
        "byte_lengths": _BYTE_LENGTHS.tolist(),
        "columns": [[k, s.column_names.get(k, k)] for k in s.column_keys],
        "years": s.year_keys,
        "buckets": buckets, "meta_files": len(metas), "shows_per_file": SHOWS_PER_FILE,
        "meta_per_file": META_PER_FILE, "page_slots": PAGE_SLOTS, "pages": "".join(pages),
        "total_cf": max(total_cf, 1),
        "constants": {"K1": K1, "B": B, "TITLE_CONTAINS": TITLE_CONTAINS, "TITLE_EXACT": TITLE_EXACT,
                      "ID_EXACT": ID_EXACT, "RUN_BONUS": RUN_BONUS, "CHECK_FEW": CHECK_FEW,
                      "RANK_DF": RANK_DF},
        "stopwords": sorted(STOPWORDS),
        "traditional": writer.addressed("", "traditional", ".bin", _traditional_bits())[0],
        "t2s": writer.addressed("", "t2s", ".json",
                                json.dumps(traditional_map(), ensure_ascii=False).encode("utf-8"))[0],
    }
    writer.put(MANIFEST, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
    return stats, ids


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


_NEWLINE = 10


# Positions (one per character, pair and triple, before each document's repeats are dropped)
# turned into gram codes and sorted at a time, at most: 20,000 laws have about 330 million, and
# sorting their codes at once took 9 GB.  Each pass takes the grams whose first character falls
# in its range of code points, ranges of about equal counts.
POSITIONS_PER_PASS = 30_000_000


def _han_grams(s: Searcher, sid_of: np.ndarray) -> Any:
    """(gram codes, static numbers) of every distinct Han character, adjacent pair and triple of
    each live document's Han column, a range of first characters at a time.  A code is a
    character, c1 << 16 | c2, or 1 << 48 | c1 << 32 | c2 << 16 | c3 (the Han blocks are all
    below U+10000)."""
    texts = [(np.frombuffer(column[i], dtype="<u2"), sid_of[offset + i])
             for (seg, offset), column in zip(s._leaves, s._han)
             for i in range(seg.doc_count_all()) if sid_of[offset + i] >= 0]
    counts = np.zeros(1 << 16, dtype=np.int64)
    for c, _sid in texts:
        counts += np.bincount(c, minlength=1 << 16)
    counts[_NEWLINE] = 0
    cumulative = np.cumsum(counts) * 3
    passes = max(1, -(-int(cumulative[-1]) // POSITIONS_PER_PASS))
    bounds = [0] + [int(np.searchsorted(cumulative, cumulative[-1] * k / passes)) + 1 for k in range(1, passes)] + [1 << 16]
    for lo, hi in zip(bounds, bounds[1:]):
        codes: list[np.ndarray] = []
        members: list[np.ndarray] = []
        for c, sid in texts:
            mine = _doc_grams(c, lo, hi)
            if mine.size:
                codes.append(mine)
                members.append(np.full(mine.size, sid, dtype=np.uint32))
        if codes:
            yield np.concatenate(codes), np.concatenate(members)


def _doc_grams(chars: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The distinct gram codes of one document whose first character is in [lo, hi)."""
    start = np.flatnonzero((chars >= lo) & (chars < hi) & (chars != _NEWLINE))
    if not start.size:
        return np.zeros(0, np.uint64)
    c = np.r_[chars, _NEWLINE, _NEWLINE].astype(np.uint64)
    first, second, third = c[start], c[start + 1], c[start + 2]
    two = second != _NEWLINE
    three = two & (third != _NEWLINE)
    codes = np.concatenate([first, ((first << np.uint64(16)) | second)[two],
                            ((np.uint64(1) << np.uint64(48)) | (first << np.uint64(32)) | (second << np.uint64(16))
                             | third)[three]])
    return np.unique(codes)


def _grouped_blobs(codes: np.ndarray, members: np.ndarray) -> Any:
    """(code, documents, their delta-coded static numbers) for each distinct code, in code
    order: the deltas of every code encoded in one vectorised pass (per code, numpy's cost per
    call was most of an export: most codes have a few documents)."""
    if not codes.size:
        return
    order = np.lexsort((members, codes))
    codes, members = codes[order], members[order].astype(np.int64)
    del order
    first = np.r_[True, codes[1:] != codes[:-1]]
    deltas = np.diff(members, prepend=0)
    deltas[first] = members[first]
    data, ends = _varint_array(deltas)
    starts = np.flatnonzero(first)
    stops = np.r_[starts[1:], codes.size]
    byte_at = np.r_[0, ends]
    raw = data.tobytes()
    for code, a, b in zip(codes[starts].tolist(), starts.tolist(), stops.tolist()):
        yield code, b - a, raw[byte_at[a]:byte_at[b]]


def _gram_text(code: int) -> str:
    if code >> 48:
        return chr((code >> 32) & 0xFFFF) + chr((code >> 16) & 0xFFFF) + chr(code & 0xFFFF)
    if code >> 16:
        return chr(code >> 16) + chr(code & 0xFFFF)
    return chr(code)


def _term_postings(s: Searcher, sid_of: np.ndarray, field_no: dict[str, int]
                   ) -> tuple[dict[str, dict[int, tuple[np.ndarray, np.ndarray]]], dict[str, np.ndarray]]:
    """Each word's (static numbers, term frequencies) per text field, and each identifier's
    static numbers: every segment's term table read in order (no look-up per term)."""
    words: dict[str, dict[int, list[tuple[np.ndarray, np.ndarray]]]] = defaultdict(lambda: defaultdict(list))
    idents: dict[str, list[np.ndarray]] = defaultdict(list)
    for seg, offset in s._leaves:
        terms = seg._terms
        names = {num: name for name, num in terms._fieldmap.items()}
        wanted = {num for num, name in names.items() if name in field_no or name == "ids"}
        postfile = terms._postfile
        for key, value in terms._tindex.items():
            num = int.from_bytes(key[:2], "big")
            if num not in wanted:
                continue
            info = W3TermInfo.from_bytes(value)
            start, length = info.extent()
            if isinstance(length, tuple):
                (length,) = length
            ids: list[np.ndarray] = []
            weights: list[np.ndarray] = []
            _decode_extent(postfile.get(start, length), offset, ids, weights)
            docnums = np.concatenate(ids)
            mapped = sid_of[docnums]
            keep = mapped >= 0
            if not keep.any():
                continue
            text = key[2:].decode("utf-8")
            name = names[num]
            if name == "ids":
                idents[text].append(mapped[keep])
            else:
                words[text][field_no[name]].append((mapped[keep], np.concatenate(weights)[keep]))
    merged_words = {}
    for text, per_field in words.items():
        merged = {}
        for n, parts in per_field.items():
            d = np.concatenate([p[0] for p in parts])
            tf = np.concatenate([p[1] for p in parts])
            order = np.argsort(d, kind="stable")
            merged[n] = (d[order], tf[order])
        merged_words[text] = merged
    return merged_words, {text: np.unique(np.concatenate(parts)) for text, parts in idents.items()}


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return n, at


def bucket_entries(data: bytes) -> list[tuple[str, int, int, bytes | str]]:
    """A bucket file's entries: (key, documents, collection frequency or 0, inline postings
    or the name of their own file), as the browser reads them."""
    out = []
    at = 0
    while at < len(data):
        size, at = _read_varint(data, at)
        key = data[at:at + size].decode("utf-8")
        at += size
        df, at = _read_varint(data, at)
        cf = 0
        if key.startswith("w"):
            cf, at = _read_varint(data, at)
        own = data[at] == 1
        size, at = _read_varint(data, at + 1)
        body = data[at:at + size]
        at += size
        out.append((key, df, cf, body.decode("ascii") if own else body))
    return out


def bucket_keys(data: bytes) -> list[str]:
    """The keys of a bucket file, without their namespace letter."""
    return [key[1:] for key, _df, _cf, _body in bucket_entries(data)]


def _bucket_count(total: int) -> int:
    n = 1
    while n < MAX_BUCKETS and n * BUCKET_BYTES < total:
        n *= 2
    return n


def _meta(s: Searcher, sid_of: np.ndarray, m: int, cores: dict[int, str],
          names: list[str]) -> tuple[list[bytes], list[float]]:
    """Per static document, in files of META_PER_FILE, column after column: date (int32
    YYYYMMDD, 0 for a free number), column (uint8, 255 for a free number), title core length
    (uint8) and each field's length as Whoosh keeps it (one byte; manifest "byte_lengths"
    decodes it); and each field's mean length."""
    live = sid_of >= 0
    at = sid_of[live]
    date = np.zeros(m, dtype="<i4")
    date[at] = s.date_of[live]
    column = np.full(m, 255, dtype=np.uint8)
    column[at] = s.column_of[live]
    title = np.zeros(m, dtype=np.uint8)
    for sid, c in cores.items():
        title[sid] = min(max(len(c), 1), 255)
    columns = [date, column, title]
    avgs = []
    for name in names:
        lens, avg = s._lengths[name]
        code = np.zeros(m, dtype=np.uint8)
        code[at] = np.searchsorted(_BYTE_LENGTHS, lens[live]).astype(np.uint8)
        columns.append(code)
        avgs.append(avg)
    files = [b"".join(c[n:n + META_PER_FILE].tobytes() for c in columns) for n in range(0, m, META_PER_FILE)]
    return files, avgs


__all__ = ["ExportStats", "FORMAT", "MANIFEST", "assign_ids", "static_current", "bucket_entries", "bucket_keys", "export", "fnv1a",
           "varints"]
