"""Whoosh's files read into numpy arrays, and the per-document arrays a Searcher keeps.

Queries are evaluated over postings read block-wise into numpy arrays (here) and
cached per index generation (Searcher): Whoosh's own matchers step through postings
one document at a time in Python.
"""
from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from .analysis import title_core

# A segment reader and the number of its first document in the whole index.
Leaves = list[tuple[Any, int]]


def _whole_blocks(m: Any, offset: int, ids: list[np.ndarray], weights: list[np.ndarray]) -> None:
    """Append a matcher's postings, whole posting blocks at a time (whoosh 2.7 W3LeafMatcher)."""
    while m.is_active():
        m._read_ids()
        m._read_weights()
        ids.append(np.asarray(m._ids, dtype=np.int32) + offset)
        weights.append(np.asarray(m._weights, dtype=np.float32))
        m._next_block()


def read_postings(leaves: Leaves, field_name: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a term in a field, across segments, deleted documents included."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for seg, offset in leaves:
        try:
            m = seg.postings(field_name, term)
        except (TermNotFound, KeyError):
            continue
        while isinstance(m, WrappingMatcher):  # deletions are filtered by the caller
            m = m.child
        if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
            _whole_blocks(m, offset, ids, weights)
        else:
            pairs = list(m.items_as("weight"))
            ids.append(np.array([p[0] for p in pairs], dtype=np.int32) + offset)
            weights.append(np.array([p[1] for p in pairs], dtype=np.float32))
    if not ids:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(ids), np.concatenate(weights)


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


def read_shows(leaves: Leaves, live: np.ndarray) -> Shows:
    """The "show" column of every live document (b"" for deleted ones)."""
    raw: list[bytes] = [b""] * live.size
    for seg, offset in leaves:
        column = seg.column_reader("show")
        for i in range(seg.doc_count_all()):
            if live[offset + i]:
                raw[offset + i] = column[i]
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
