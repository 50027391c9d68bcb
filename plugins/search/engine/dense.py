"""The postings of a segment's common terms a second time, as bitmaps a query reads in microseconds.

Whoosh's posting format (plugins/search/segments.py writes it byte for byte) keeps a term's
documents in blocks of 128, each a pickled, zlib-compressed list of delta-coded numbers: a
common term at 20,000 documents — a character pair such as 「人民」 in the companion field
(index.GRAMS), 「规定」 in the body — is some 100 blocks, and decoding them was half of a
query's time (docs/search.md).  Beside each segment the writer now keeps, for every term in at
least one document in DENSE_SHARE (and DENSE_FROM at least), the set of its documents as a
bitmap (one bit a document of the segment) and its weights as 16-bit counts where they are
whole numbers (float32 otherwise; none for a field whose weights are all 1, as the companion
terms').  A look-up is a dict look-up and a slice of a read-only map.

The file is one more file of the segment (``<segment>.dns``): Whoosh deletes it with the
segment's other files when a merge replaces the segment.  Whoosh's own files stay complete
and authoritative; a segment without the file (written before it existed, or with no common
term) is read from them (plugins.search.engine.arrays.read_postings).
"""
from __future__ import annotations

import json
import mmap
import struct
from typing import Any

import numpy as np

EXT = ".dns"
MAGIC = b"XXGKDNS1"
_HEADER = struct.Struct("<8sQ")  # magic, length of the JSON table that follows

# A term is kept here when it is in at least this share of the segment's documents, and in
# DENSE_FROM documents at least: a bitmap then costs at most 16 bits a posting, about what
# Whoosh's compressed blocks take for such terms (a segment of 5,128 laws: 58 % of the
# companion postings and 70 % of the body's in 6,500 terms, 9 MB beside 134 MB of postings).
DENSE_SHARE = 1 / 16
DENSE_FROM = 64

# How a term's weights are kept: not at all (every weight 1), 16-bit whole numbers, float32.
ONES, COUNTS, FLOATS = 0, 1, 2


def _threshold(doccount: int) -> int:
    return max(DENSE_FROM, int(np.ceil(doccount * DENSE_SHARE)))


class Writer:
    """Collects the common terms of each field as the segment writer sorts them, then writes
    the segment's file (FastSegmentWriter's `sidecar`)."""

    def __init__(self) -> None:
        self._table: dict[str, dict[str, list[int]]] = {}
        self._chunks: list[bytes] = []
        self._size = 0

    def field(self, name: str, terms: list[bytes], tids: np.ndarray, docs: np.ndarray,
              weights: np.ndarray | None, doccount: int) -> None:
        """One field's postings, sorted by term number (the order of `terms`) then document;
        `weights` None when every one is 1."""
        if not tids.size:
            return
        counts = np.bincount(tids, minlength=len(terms))
        common = np.flatnonzero(counts >= _threshold(doccount))
        if not common.size:
            return
        ends = np.cumsum(counts)
        starts = ends - counts
        nbytes = (doccount + 7) // 8
        entries = self._table.setdefault(name, {})
        for tid in common.tolist():
            s, e = int(starts[tid]), int(ends[tid])
            bits = np.zeros(nbytes * 8, dtype=bool)
            bits[docs[s:e]] = True
            w = weights[s:e] if weights is not None else None
            if w is None or np.all(w == 1.0):
                kind, wdata = ONES, b""
            elif np.all((w == np.round(w)) & (w >= 0) & (w < 65536)):
                kind, wdata = COUNTS, w.astype("<u2").tobytes()
            else:
                kind, wdata = FLOATS, w.astype("<f4").tobytes()
            entries[terms[tid].decode("utf-8", "surrogateescape")] = [self._size, e - s, kind]
            self._add(np.packbits(bits, bitorder="little").tobytes())
            self._add(wdata)

    def _add(self, data: bytes) -> None:
        self._chunks.append(data)
        self._size += len(data)

    def write(self, storage: Any, segment: Any, doccount: int) -> None:
        """The segment's file, when it has a common term."""
        if not self._table:
            return
        table = json.dumps({"docs": doccount, "fields": self._table}, ensure_ascii=False).encode("utf-8")
        out = segment.create_file(storage, EXT)
        try:
            out.write(_HEADER.pack(MAGIC, len(table)))
            out.write(table)
            for chunk in self._chunks:
                out.write(chunk)
        finally:
            out.close()
        self._table, self._chunks, self._size = {}, [], 0


class Table:
    """A segment's common terms, read from its file through a read-only map."""

    def __init__(self, mapped: mmap.mmap):
        magic, length = _HEADER.unpack_from(mapped, 0)
        if magic != MAGIC:
            raise ValueError("not a table of common terms")
        header = json.loads(mapped[_HEADER.size:_HEADER.size + length])
        self.map = mapped
        self.docs = int(header["docs"])
        self._nbytes = (self.docs + 7) // 8
        self._base = _HEADER.size + length
        self._fields: dict[str, dict[str, list[int]]] = header["fields"]

    @classmethod
    def open(cls, seg: Any) -> "Table | None":
        """The table of an open segment reader, or None when its segment has none."""
        segment, storage = seg.segment(), seg.storage()
        name = segment.make_filename(EXT)
        if segment is None or not storage.file_exists(name):
            return None
        structfile = storage.open_file(name)
        try:
            mapped = mmap.mmap(structfile.file.fileno(), 0, access=mmap.ACCESS_READ)
        except (AttributeError, OSError, ValueError):  # not a real file (RamStorage)
            return None
        finally:
            structfile.close()
        return cls(mapped)

    def has_field(self, field_name: str) -> bool:
        return field_name in self._fields

    def doc_frequency(self, field_name: str, term: str) -> int | None:
        entry = self._fields.get(field_name, {}).get(term)
        return None if entry is None else entry[1]

    def postings(self, field_name: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers in the segment, weights) of a common term; None for any other."""
        entry = self._fields.get(field_name, {}).get(term)
        if entry is None:
            return None
        offset, df, kind = entry
        start = self._base + offset
        bits = np.frombuffer(self.map, dtype=np.uint8, count=self._nbytes, offset=start)
        ids = np.flatnonzero(np.unpackbits(bits, count=self.docs, bitorder="little")).astype(np.int32)
        start += self._nbytes
        if kind == ONES:
            weights = np.ones(df, np.float32)
        elif kind == COUNTS:
            weights = np.frombuffer(self.map, dtype="<u2", count=df, offset=start).astype(np.float32)
        else:
            weights = np.frombuffer(self.map, dtype="<f4", count=df, offset=start).astype(np.float32)
        return ids, weights

    def close(self) -> None:
        self.map.close()
