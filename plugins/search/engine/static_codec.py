"""The byte formats of the static search index (engine.static): LEB128 numbers, the FNV-1a hash
of a bucket's anchor and the entries of a bucket file, written here and read back by the
browser (theme/static/js/search-engine.js) and by the guard (plugins/search static_texts)."""
from __future__ import annotations

import hashlib

import numpy as np

HASH_CHARS = 12       # hex digits of a file's SHA-256 in its name (6 bytes)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the browser computes the same (search-engine.js)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def varint_array(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
        return b"".join(varint(n) for n in values.tolist())
    return varint_array(values)[0].tobytes()


_SMALL = [bytes([n]) for n in range(128)]


def varint(n: int) -> bytes:
    if n < 128:
        return _SMALL[n]
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def ids_blob(sids: np.ndarray) -> bytes:
    """Sorted static document numbers, delta-coded."""
    return varints(np.diff(sids, prepend=0)) if sids.size else b""


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return n, at


def decode_ids(blob: bytes, count: int) -> tuple[list[int], int]:
    """The `count` static numbers of an ids blob (ids_blob), and where they end in it."""
    out, last, at = [], 0, 0
    for _ in range(count):
        n, at = _read_varint(blob, at)
        last += n
        out.append(last)
    return out, at


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




__all__ = ["HASH_CHARS", "bucket_entries", "bucket_keys", "decode_ids", "fnv1a", "ids_blob", "short_hash", "varint",
           "varint_array", "varints"]
