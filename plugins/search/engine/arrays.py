"""Whoosh's files read into numpy arrays, and the per-document arrays a Searcher keeps.

Queries are evaluated over postings read block-wise into numpy arrays (here) and
cached per index generation (Searcher): Whoosh's own matchers step through postings
one document at a time in Python.
"""
from __future__ import annotations

import io
import json
import mmap
import pickle
import re
import struct
import zlib
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.columns import EmptyColumnReader
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from . import dense
from .analysis import title_core

# A segment reader and the number of its first document in the whole index.
Leaves = list[tuple[Any, int]]


def map_reads(structfile: Any) -> mmap.mmap | None:
    """Answer a Whoosh StructFile's positioned reads (`get`, which the term tables, the posting
    files and the columns use for every look-up) from a read-only map of the file, and return
    the map (the caller closes it), or None for a file that cannot be mapped.

    StructFile.get is a seek and a read through three Python wrappers: a term looked up in a
    segment's hash table is about five of them, and that was the largest cost left in a
    query at 20,000 documents (docs/search.md).  A slice of the map is one call, needs no
    lock (no file position) and shares the page cache between workers."""
    raw = getattr(structfile, "file", None)
    try:
        mapped = mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):  # not a real file, or empty
        return None
    structfile.get = lambda position, length: mapped[position:position + length]
    return mapped


_BLOCK_LENGTH = struct.Struct("!i")  # whoosh.system.pack_int


def _decode_extent(raw: bytes, offset: int, ids: list[np.ndarray], weights: list[np.ndarray]) -> None:
    """Append a term's postings in one segment, decoded from the bytes of its extent in the
    postings file as W3PostingsWriter writes them (plugins/search/segments.py): the header
    magic, then blocks of a signed length (negative for the last), a pickled info tuple and
    the zlib-compressed pickle of (delta-coded ids, weights, values).

    Whoosh's W3LeafMatcher reads the same blocks with a seek and several small reads each
    and decodes the ids one at a time in a Python generator: that was two thirds of a
    query's time at 20,000 documents (docs/search.md).  Here the extent is one read and
    a block's ids one numpy cumsum."""
    stream = io.BytesIO(raw)
    pos, end = len(WHOOSH3_HEADER_MAGIC), len(raw)
    while pos < end:
        (length,) = _BLOCK_LENGTH.unpack_from(raw, pos)
        stop = pos + 4 + abs(length)
        stream.seek(pos + 4)
        count, _maxid, _maxweight, compression, _mn, _mx = pickle.load(stream)
        data = raw[stream.tell():stop]
        deltas, w, _values = pickle.loads(zlib.decompress(data) if compression else data)
        block = np.array(deltas, dtype=np.int64)
        np.cumsum(block, out=block)
        ids.append(block.astype(np.int32) + offset)
        if w is None:
            weights.append(np.ones(count, np.float32))
        elif isinstance(w, float):
            weights.append(np.full(count, w, np.float32))
        else:
            weights.append(np.array(w, dtype=np.float32))
        if length < 0:
            break
        pos = stop


def _segment_postings(seg: Any, field_name: str, term: str, offset: int,
                      ids: list[np.ndarray], weights: list[np.ndarray]) -> None:
    """Append one segment's postings of a term (none when the segment lacks it).  Postings are
    never inlined in the term table: W3Codec inlines fewer than `inlinelimit` (1) postings."""
    terms = seg._terms
    try:
        info = terms.term_info(field_name, seg._text_to_bytes(field_name, term))
    except (TermNotFound, KeyError):
        return
    _decode_extent(extent_bytes(terms, info), offset, ids, weights)


def extent_bytes(terms: Any, info: Any) -> bytes:
    """The bytes of a term's postings in a segment's postings file, from its W3TermInfo."""
    start, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves struct.unpack's tuple
        (length,) = length
    return terms._postfile.get(start, length)


def open_dense(seg: Any) -> dense.Table | None:
    """Open a segment reader's table of common terms (engine.dense) for read_postings and
    doc_frequency to use, kept on the reader itself; the caller closes it."""
    table = seg.xxgk_dense = dense.Table.open(seg)
    return table


def read_postings(leaves: Leaves, field_name: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a term in a field, across segments, deleted documents included."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for seg, offset in leaves:
        # A field with no terms in a segment is not in its field map: no look-up for it
        # (half of the text fields are empty in most segments; a miss costs as much as a hit).
        if field_name not in seg._terms._fieldmap:
            continue
        table = getattr(seg, "xxgk_dense", None)
        common = table.postings(field_name, term) if table is not None else None
        if common is not None:
            ids.append(common[0] + offset)
            weights.append(common[1])
        else:
            _segment_postings(seg, field_name, term, offset, ids, weights)
    if not ids:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def doc_frequency(leaves: Leaves, field_name: str, term: str) -> int:
    """How many documents have the term in the field, deleted ones included (as Whoosh counts)."""
    total = 0
    for seg, _offset in leaves:
        if field_name not in seg._terms._fieldmap:
            continue
        table = getattr(seg, "xxgk_dense", None)
        df = table.doc_frequency(field_name, term) if table is not None else None
        total += seg.doc_frequency(field_name, term) if df is None else df
    return total


# Whoosh's one-byte field lengths, decoded (byte 0: no length, as doc_field_length gives it).
_BYTE_LENGTHS = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float32)


def _segment_field_lengths(seg: Any, fieldname: str) -> np.ndarray:
    """Every document's length of `fieldname` in one segment, as `seg.doc_field_length` gives
    them, read as one block of the length column: asking document by document took 0.7 s at
    20,000 documents, most of a new generation's first search (a stat() call for each
    document of a field without lengths in that segment)."""
    count = seg.doc_count_all()
    out = np.zeros(count, dtype=np.float32)
    reader = seg._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is not None:
        stored = min(reader._count, count)  # documents past the column's end have none
        raw = reader._dbfile.get(reader._basepos, stored)
        out[:stored] = _BYTE_LENGTHS[np.frombuffer(raw, dtype=np.uint8)]
    return out


def field_lengths(leaves: Leaves, fieldname: str, live: np.ndarray) -> tuple[np.ndarray, float]:
    """Every document's length of a field, as Whoosh keeps them (one byte each, a few per cent
    off for long texts), and the mean over live documents."""
    lens = np.zeros(live.size, dtype=np.float32)
    for seg, offset in leaves:
        lens[offset:offset + seg.doc_count_all()] = _segment_field_lengths(seg, fieldname)
    live_lens = lens[live]
    return lens, float(live_lens.mean()) if live_lens.size else 0.0


class BytesColumn:
    """A segment's column of variable-length bytes (Whoosh's VarBytesColumn), each value a slice
    of a read-only map of the file.

    Whoosh's reader answers `column[docnum]` through a translating wrapper, its column reader
    and StructFile.get (a seek and a read): checking a run in candidates' Han text (index.HAN)
    reads about 100 values a query, and at 20,000 documents that was a tenth of a query's time
    (docs/search.md).  Here a value is two array look-ups and a slice, with no lock."""

    def __init__(self, reader: Any):
        raw = reader.raw_column() if hasattr(reader, "raw_column") else reader
        self._reader = raw or EmptyColumnReader(b"", 0)
        self.map = map_reads(raw._dbfile) if hasattr(raw, "_offsets") else None
        if self.map is not None:
            self._base, self._offsets, self._lengths = raw._basepos, raw._offsets, raw._lengths

    def __getitem__(self, docnum: int) -> bytes:
        if self.map is None:  # no value in this segment, or a file that cannot be mapped
            return self._reader[docnum]
        length = self._lengths[docnum]
        if not length:
            return b""
        start = self._base + self._offsets[docnum]
        return self.map[start:start + length]


class Shows:
    """What each document's result shows, kept as its JSON bytes and decoded when asked for.

    A list of 20,000 decoded dicts was about a third of a search worker's memory; a
    query decodes only the documents it shows (or checks a phrase in).
    """

    def __init__(self, raw: list[bytes]):
        self._raw = raw

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, docnum: int) -> dict[str, Any]:
        data = self._raw[docnum]
        return json.loads(data) if data else {}

    def all(self) -> list[dict[str, Any]]:
        """Every document's, decoded at once: one JSON array of them all is parsed in a tenth
        of the time of 20,000 parses (a service opening a new generation does this)."""
        return json.loads(b"[" + b",".join(r or b"{}" for r in self._raw) + b"]")


def read_shows(leaves: Leaves, live: np.ndarray) -> Shows:
    """The "show" column of every live document (b"" for deleted ones)."""
    raw: list[bytes] = [b""] * live.size
    for seg, offset in leaves:
        column = BytesColumn(seg.column_reader("show"))  # slices of a map, not a read a value
        for i in range(seg.doc_count_all()):
            if live[offset + i]:
                raw[offset + i] = bytes(column[i])
    return Shows(raw)


def column_index(shows: list[dict[str, Any]]) -> tuple[list[str], np.ndarray, dict[str, str]]:
    """(columns in order, each document's column as a number, each column's name)."""
    columns = sorted({s.get("column", "") for s in shows if s})
    col_index = {c: i for i, c in enumerate(columns)}
    column_of = np.array([col_index.get(s.get("column", ""), 0) for s in shows], dtype=np.int16)
    names = {s["column"]: s.get("column_name", s["column"]) for s in shows if s}
    return columns, column_of, names


def date_index(shows: list[dict[str, Any]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(years, newest first; each document's year as a number; each document's date as YYYYMMDD)."""
    years = sorted({s.get("date", "")[:4] for s in shows if s}, reverse=True)
    year_index = {y: i for i, y in enumerate(years)}
    year_of = np.array([year_index.get(s.get("date", "")[:4], 0) for s in shows], dtype=np.int16)
    date_of = np.array([int(s.get("date", "0000-00-00").replace("-", "") or 0) if s else 0
                        for s in shows], dtype=np.int32)
    return years, year_of, date_of


class Titles:
    """Title cores joined with a separator: one C-speed scan finds every title
    containing the query, which rescues what segmentation splits differently."""

    def __init__(self, shows: list[dict[str, Any]]):
        cores = [title_core(s.get("title", "")) if s else "" for s in shows]
        self._joined = "\x00".join(cores)
        self.lengths = np.array([max(len(c), 1) for c in cores], dtype=np.float32)
        starts = np.zeros(len(cores), dtype=np.int64)
        if cores:
            starts[1:] = np.cumsum([len(c) + 1 for c in cores[:-1]])
        self._starts = starts

    def containing(self, text: str, live: np.ndarray) -> np.ndarray:
        """Live documents whose title core contains `text`."""
        found = np.zeros(live.size, dtype=bool)
        if not text:
            return found
        pos = [m.start() for m in re.finditer(re.escape(text), self._joined)]
        if pos:
            found[np.searchsorted(self._starts, np.array(pos), side="right") - 1] = True
        return found & live
