"""Postings for the static search index (engine.static), read from an open index generation:
Han grams from each document's Han column, words and identifiers from the term tables."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3TermInfo

from .arrays import _decode_extent, extent_bytes
from .static_codec import varint_array
from .searcher import Searcher


_NEWLINE = 10


# Positions (one per character, pair and triple, before each document's repeats are dropped)
# turned into gram codes and sorted at a time, at most: 20,000 laws have about 330 million, and
# sorting their codes at once took 9 GB.  Each pass takes the grams whose first character falls
# in its range of code points, ranges of about equal counts.
POSITIONS_PER_PASS = 30_000_000


def han_grams(s: Searcher, sid_of: np.ndarray) -> Any:
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


def _grouped(codes: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, ...]:
    """(distinct codes, their documents' counts, where each one's delta-coded documents start and
    end in `raw`, raw) of a pass, in code order."""
    order = np.lexsort((members, codes))
    codes, members = codes[order], members[order].astype(np.int64)
    del order
    first = np.r_[True, codes[1:] != codes[:-1]]
    deltas = np.diff(members, prepend=0)
    deltas[first] = members[first]
    data, ends = varint_array(deltas)
    starts = np.flatnonzero(first)
    stops = np.r_[starts[1:], codes.size]
    byte_at = np.r_[0, ends]
    return codes[starts], (stops - starts).astype(np.int64), byte_at[starts], byte_at[stops], data


def _left_out(u: np.ndarray, df: np.ndarray) -> np.ndarray:
    """The triples in exactly their first pair's documents (static._gram_entries leaves them out)."""
    triple = (u >> np.uint64(48)) != 0
    pair = ((u >> np.uint64(16)) != 0) & ~triple
    pair_of = (u >> np.uint64(16)) & np.uint64(0xFFFFFFFF)
    at = np.minimum(np.searchsorted(u, pair_of), u.size - 1)
    return triple & (u[at] == pair_of) & pair[at] & (df[at] == df)


def _characters(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(how many characters, the characters first to last) of each gram code."""
    n = np.where((u >> np.uint64(48)) != 0, 3, np.where((u >> np.uint64(16)) != 0, 2, 1))
    c3 = (u & np.uint64(0xFFFF)).astype(np.int64)
    c2 = ((u >> np.uint64(16)) & np.uint64(0xFFFF)).astype(np.int64)
    c1 = ((u >> np.uint64(32)) & np.uint64(0xFFFF)).astype(np.int64)
    chars = np.zeros((u.size, 3), dtype=np.int64)
    chars[:, 0] = np.where(n == 3, c1, np.where(n == 2, c2, c3))
    chars[:, 1] = np.where(n == 3, c2, c3)
    chars[:, 2] = c3
    if chars[np.arange(3)[None, :] < n[:, None]].min() < 0x800:
        raise ValueError("a gram below U+0800 (the Han column holds Han characters only)")
    return n, chars


def _keys(n: np.ndarray, chars: np.ndarray) -> tuple[str, np.ndarray]:
    """Every key ("g" and the characters) in one string, and where each starts and ends in it."""
    key_at = np.r_[0, np.cumsum(1 + n)]
    units = np.zeros(int(key_at[-1]), dtype="<u2")
    units[key_at[:-1]] = ord("g")
    for k in range(3):
        has = n > k
        units[key_at[:-1][has] + 1 + k] = chars[has, k]
    return units.tobytes().decode("utf-16-le"), key_at


def _heads(n: np.ndarray, chars: np.ndarray, df: np.ndarray, size: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Every entry's header (key length, key in UTF-8: 3 bytes a character, documents, 0 for
    inline, postings length) in one buffer, and where each starts and ends in it."""
    dv, dv_ends = varint_array(df)
    sv, sv_ends = varint_array(size)
    dv_len, sv_len = np.diff(np.r_[0, dv_ends]), np.diff(np.r_[0, sv_ends])
    kb_len = 1 + 3 * n
    head_at = np.r_[0, np.cumsum(1 + kb_len + dv_len + 1 + sv_len)]
    heads = np.zeros(int(head_at[-1]), dtype=np.uint8)
    h0 = head_at[:-1]
    heads[h0] = kb_len
    heads[h0 + 1] = ord("g")
    for k in range(3):
        has = n > k
        c, at = chars[has, k], h0[has] + 2 + 3 * k
        heads[at], heads[at + 1], heads[at + 2] = 0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F)

    def scatter(values: np.ndarray, lengths: np.ndarray, where: np.ndarray) -> None:
        heads[np.repeat(where - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(values.size)] = values

    scatter(dv, dv_len, h0 + 1 + kb_len)
    scatter(sv, sv_len, h0 + 1 + kb_len + dv_len + 1)  # the 0 byte between is already 0
    return heads.tobytes(), head_at


def gram_rows(codes: np.ndarray, members: np.ndarray, own_bytes: int) -> tuple[list[tuple[str, str, bytes]],
                                                                              list[tuple[int, int, bytes]]]:
    """The bucket entries of one pass's grams, as engine.static._Entries.add makes them, made for
    all at once: ([(anchor, key, entry bytes)] of the postings that sit in their bucket,
    [(code, documents, postings)] of those longer than `own_bytes`, which get a file of their
    own).  A triple in as many documents as its first pair is left out (static._gram_entries).

    One Python step per entry was most of an export (780,000 entries at 1,512 documents, most
    of them triples): here the keys and headers of a pass are encoded with numpy, and what is
    left per entry is two slices and a concatenation."""
    if not codes.size:
        return [], []
    u, df, blob_start, blob_end, data = _grouped(codes, members)
    skip = _left_out(u, df)
    size = blob_end - blob_start
    own = ~skip & (size > own_bytes)
    raw = data.tobytes()
    owned = [(int(c), int(d), raw[a:b]) for c, d, a, b in
             zip(u[own].tolist(), df[own].tolist(), blob_start[own].tolist(), blob_end[own].tolist())]
    keep = ~skip & ~own
    u, df, blob_start, blob_end, size = u[keep], df[keep], blob_start[keep], blob_end[keep], size[keep]
    if not u.size:
        return [], owned
    n, chars = _characters(u)
    keys_text, key_at = _keys(n, chars)
    head_bytes, head_at = _heads(n, chars, df, size)
    rows = [(keys_text[ka + 1:min(ka + 3, kb)], keys_text[ka:kb], head_bytes[ha:hb] + raw[ba:bb])  # anchor: text[:2]
            for ka, kb, ha, hb, ba, bb in zip(key_at[:-1].tolist(), key_at[1:].tolist(), head_at[:-1].tolist(),
                                              head_at[1:].tolist(), blob_start.tolist(), blob_end.tolist())]
    return rows, owned


def gram_text(code: int) -> str:
    if code >> 48:
        return chr((code >> 32) & 0xFFFF) + chr((code >> 16) & 0xFFFF) + chr(code & 0xFFFF)
    if code >> 16:
        return chr(code >> 16) + chr(code & 0xFFFF)
    return chr(code)


def _segment_terms(seg: Any, offset: int, sid_of: np.ndarray, wanted: set[str]) -> Iterator[tuple[str, str, np.ndarray, np.ndarray]]:
    """(field, term, static numbers, weights) of every term of the `wanted` fields in one
    segment, in the order of its term table (no hash look-up per term)."""
    terms = seg._terms
    names = {num: name for name, num in terms._fieldmap.items() if name in wanted}
    for key, value in terms._tindex.items():
        name = names.get(int.from_bytes(key[:2], "big"))
        if name is None:
            continue
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        _decode_extent(extent_bytes(terms, W3TermInfo.from_bytes(value)), offset, ids, weights)
        mapped = sid_of[np.concatenate(ids)]
        keep = mapped >= 0
        if keep.any():
            yield name, key[2:].decode("utf-8"), mapped[keep], np.concatenate(weights)[keep]


def term_postings(s: Searcher, sid_of: np.ndarray, field_no: dict[str, int]
                  ) -> tuple[dict[str, dict[int, tuple[np.ndarray, np.ndarray]]], dict[str, np.ndarray]]:
    """Each word's (static numbers, term frequencies) per text field, and each identifier's
    static numbers, across segments."""
    words: dict[str, dict[int, list[tuple[np.ndarray, np.ndarray]]]] = defaultdict(lambda: defaultdict(list))
    idents: dict[str, list[np.ndarray]] = defaultdict(list)
    for seg, offset in s._leaves:
        for name, text, members, weights in _segment_terms(seg, offset, sid_of, set(field_no) | {"ids"}):
            if name == "ids":
                idents[text].append(members)
            else:
                words[text][field_no[name]].append((members, weights))

    def merged(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        d = np.concatenate([p[0] for p in parts])
        order = np.argsort(d, kind="stable")
        return d[order], np.concatenate([p[1] for p in parts])[order]

    return ({text: {n: merged(parts) for n, parts in per_field.items()} for text, per_field in words.items()},
            {text: np.unique(np.concatenate(parts)) for text, parts in idents.items()})


__all__ = ["gram_rows", "gram_text", "han_grams", "term_postings"]
