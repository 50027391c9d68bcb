"""A Whoosh segment writer that writes the same files as Whoosh's own, several times faster.

Whoosh's SegmentWriter handles every posting (one term of one document) as a
Python tuple: it is pooled, sorted with all others, then passed one by one
through FieldWriter.add_postings, which also looks up the document's field
length for each one.  Profiled on the laws corpus (1,516 documents, 1.15 million
postings, docs/performance.md), that was 9.4 of the 11.3 seconds of a full
index; segmenting the text was 1.9.

This writer keeps the postings of each field in flat typed arrays (term
number, document number, weight, value bytes), sorts them once with numpy and
hands whole blocks to Whoosh's own W3 postings writer, so the block encoding,
the term table and every other file stay Whoosh's code.  Per-document data
(stored fields, columns, field lengths) goes through Whoosh's per-document
writer unchanged.  A test builds the same documents with both writers and
compares every term's postings and statistics.

It handles the fields of xxgk's schema (plugins/search/engine/index.py): formats whose
posting values have a fixed size (Existence, Frequency), no vectors, no
spelling fields.  `supports(schema)` says whether a schema qualifies.
"""
from __future__ import annotations

import zlib
from array import array
from pickle import dumps
from typing import Any, Callable, Mapping

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter


def supports(schema: Any) -> bool:
    """Whether every indexed field of `schema` can be written by FastSegmentWriter."""
    for _name, field in schema.items():
        if not field.indexed:
            continue
        size = field.format.fixed_value_size()
        if size is None or size < 0 or field.vector or field.separate_spelling():
            return False
    return True


class _FieldPostings:
    """Every posting of one field in this segment, in flat arrays (20 bytes each at most)."""

    __slots__ = ("terms", "tids", "docs", "weights", "values", "value_size")

    def __init__(self, value_size: int):
        # Terms as text (UTF-8 orders as code points do): encoding every term of every document
        # to look it up was a fifth of writing the laws corpus.
        self.terms: dict[str, int] = {}
        self.tids = array("I")
        self.docs = array("I")
        # None while every weight is 1 (the companion terms of plugins.search.engine: four
        # fifths of all postings at 20,000 laws): 8 bytes a posting not held until one is not.
        self.weights: array | None = None
        self.values = bytearray()
        self.value_size = value_size

    def add_weights(self, weights: list[float]) -> None:
        """The weights of postings just added to `docs`."""
        if self.weights is None:
            if all(w == 1.0 for w in weights):
                return
            self.weights = array("d", [1.0]) * (len(self.docs) - len(weights))
        self.weights.extend(weights)

    def tid(self, term: str) -> int:
        """The term's number in this field (numbered as first seen)."""
        tid = self.terms.get(term)
        if tid is None:
            tid = self.terms[term] = len(self.terms)
        return tid

    def add(self, btext: bytes, docnum: int, weight: float, vbytes: bytes | None) -> None:
        self.tids.append(self.tid(btext.decode("utf-8", "surrogateescape")))
        self.docs.append(docnum)
        if self.weights is not None:
            self.weights.append(weight)
        elif weight != 1.0:
            self.add_weights([weight])
        if self.value_size:
            self.values += vbytes or bytes(self.value_size)


class TermPool:
    """What Whoosh's PostingPool is to SegmentWriter, kept as arrays per field."""

    def __init__(self, schema: Any):
        self.schema = schema
        self.fields: dict[str, _FieldPostings] = {}
        self.count = 0
        self.fieldnames: set[str] = set()

    def field(self, name: str) -> _FieldPostings:
        fp = self.fields.get(name)
        if fp is None:
            fp = self.fields[name] = _FieldPostings(self.schema[name].format.fixed_value_size())
            self.fieldnames.add(name)
        return fp

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting as Whoosh's pool takes it: (field, term bytes, docnum, weight, value bytes)."""
        fieldname, btext, docnum, weight, vbytes = item
        self.field(fieldname).add(btext, docnum, weight, vbytes)
        self.count += 1

    def add_counts(self, fieldname: str, counts: Mapping[str, int], docnum: int, boost: float,
                   value: Callable[[int], bytes]) -> None:
        """All terms of one field of one document at once: term -> count."""
        fp = self.field(fieldname)
        terms, put = fp.terms, fp.terms.setdefault
        fp.tids.extend([put(term, len(terms)) for term in counts])
        n = len(counts)
        fp.docs.extend([docnum] * n)
        fp.add_weights([c * boost for c in counts.values()])
        if fp.value_size:
            fp.values += b"".join(value(c) for c in counts.values())
        self.count += n

    def cleanup(self) -> None:
        self.fields.clear()

    def write(self, fieldwriter: Any, lengths: Callable[[str], np.ndarray], sidecar: Any = None,
              doccount: int = 0) -> None:
        """Write every field's postings through `fieldwriter` (a W3FieldWriter), in Whoosh's order:
        fields by name, terms by their bytes, documents by number; and hand each field's sorted
        postings to `sidecar.field` as well, when there is one."""
        for name in sorted(self.fields):
            fp = self.fields[name]
            self.count -= len(fp.docs)
            fieldobj = self.schema[name]
            ordered_text = sorted(fp.terms)
            rank = np.empty(len(ordered_text), dtype=np.uint32)
            rank[np.fromiter((fp.terms[t] for t in ordered_text), dtype=np.int64, count=len(ordered_text))] = \
                np.arange(len(ordered_text), dtype=np.uint32)
            ordered = [t.encode("utf-8", "surrogateescape") for t in ordered_text]
            del ordered_text
            tids = rank[np.frombuffer(fp.tids, dtype=np.uint32)] if len(fp.tids) else np.zeros(0, np.uint32)
            fp.tids = array("I")
            # Added documents come one at a time, in document order, so a stable sort by term
            # alone leaves each term's documents in order: no second key to sort by (this is
            # the segment's peak of memory; 32-bit term numbers halve what it holds, and each
            # of the pool's arrays is let go as soon as its sorted copy exists).
            order = np.argsort(tids, kind="stable")
            tids = tids[order]
            docs = np.frombuffer(fp.docs, dtype=np.uint32)[order]
            fp.docs = array("I")
            weights = None  # every weight 1
            if fp.weights is not None:
                weights = np.frombuffer(fp.weights, dtype=np.float64)[order]
                fp.weights = None
            if not _in_document_order(tids, docs):  # segments merged in come term by term
                again = np.lexsort((docs, tids))
                tids, docs, order = tids[again], docs[again], order[again]
                weights = weights[again] if weights is not None else None
            size = fp.value_size
            values = np.frombuffer(fp.values, dtype=np.uint8).reshape(-1, size)[order] if size else None
            flen = lengths(name) if fieldobj.scorable else None
            del self.fields[name], fp, order  # written from the sorted copies; free as we go
            if sidecar is not None:
                sidecar.field(name, ordered, tids, docs, weights, doccount)
            fieldwriter.start_field(name, fieldobj)
            _write_field(fieldwriter, ordered, tids, docs, weights, values, flen)
            fieldwriter.finish_field()


def _in_document_order(tids: np.ndarray, docs: np.ndarray) -> bool:
    """Whether each term's documents are in increasing order (`tids` sorted)."""
    return bool(np.all((tids[1:] != tids[:-1]) | (docs[1:] > docs[:-1])))


def _write_field(fieldwriter: Any, ordered: list[bytes], tids: np.ndarray, docs: np.ndarray,
                 weights: np.ndarray | None, values: np.ndarray | None, flen: np.ndarray | None) -> None:
    """Every term of one field, encoded exactly as W3PostingsWriter and W3FieldWriter do it.

    Per term: the block header magic, then blocks of up to `blocklimit` postings, each a
    pickled (delta-coded ids, weights or their single value, packed values) tuple, zlib-
    compressed, after a pickled block info tuple and a signed length (negative for the
    last block); then the term's W3TermInfo in the term table.  Whoosh's own code for
    this was most of a full index's time (docs/performance.md); the test
    tests/test_segments.py checks the files are byte-identical.
    """
    pw = fieldwriter._postwriter
    postfile, tindex_add = fieldwriter._postfile, fieldwriter._tindex.add
    prefix = pack_ushort(fieldwriter._fieldid)
    limit, comp = pw._blocklimit, pw._compression
    if not tids.size:
        return
    starts = np.flatnonzero(np.r_[True, tids[1:] != tids[:-1]])
    ends = np.r_[starts[1:], tids.size]
    # Terms are written a run at a time: each run's postings become Python lists, sliced
    # per block (numpy's per-call overhead on a few postings cost more than the work; most
    # terms have one block of a few postings), and lists of a whole field would take
    # about 150 bytes a posting.
    run_start = 0
    while run_start < starts.size:
        first = int(starts[run_start])
        run_end = int(np.searchsorted(starts, first + POSTINGS_PER_RUN, side="left"))
        run_end = max(run_end, run_start + 1)
        last = int(ends[run_end - 1])
        _write_run(postfile, tindex_add, prefix, limit, comp, ordered, tids[first:last],
                   starts[run_start:run_end] - first, ends[run_start:run_end] - first, docs[first:last],
                   weights[first:last] if weights is not None else None,
                   values[first:last] if values is not None else None,
                   flen)
        run_start = run_end


# Postings converted to Python lists at a time (about 10 MB of lists).
POSTINGS_PER_RUN = 65_536


def _encode_block(ids: list[int], deltas: tuple[int, ...], stored: list[float], vbytes: bytes | None,
                  maxweight: float, minlength: int | None, maxlength: int, comp: int, last: bool) -> bytes:
    """One block of postings as W3PostingsWriter._write_block writes it: signed length, info, data."""
    first = stored[0]
    mini_weights = None if all(w == 1.0 for w in stored) else \
        first if all(w == first for w in stored) else tuple(stored)
    data = dumps((deltas, mini_weights, vbytes), 2)
    if comp:
        data = zlib.compress(data, comp)
    info = dumps((len(ids), ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)), 2)
    length = len(info) + len(data)
    return pack_int(-length if last else length) + info + data


def _write_run(postfile: Any, tindex_add: Any, prefix: bytes, limit: int, comp: int, ordered: list[bytes],
               tids: np.ndarray, starts: np.ndarray, ends: np.ndarray, docs: np.ndarray,
               weights: np.ndarray | None, values: np.ndarray | None, flen: np.ndarray | None) -> None:
    ids_all = docs.tolist()
    deltas_all = np.diff(docs.astype(np.int64), prepend=0).tolist()
    if weights is None:  # every weight 1
        weights_all = stored_all = [1.0] * len(ids_all)
    else:
        weights_all = weights.tolist()
        stored_all = weights.astype(np.float32).tolist()  # what a block keeps (array "f")
    lengths_all = flen[docs].tolist() if flen is not None else None
    value_bytes = values.tobytes() if values is not None else None
    size = values.shape[1] if values is not None else 0
    for start, end, t in zip(starts.tolist(), ends.tolist(), tids[starts].tolist()):
        ti = W3TermInfo()
        offset = postfile.tell()
        chunks = [WHOOSH3_HEADER_MAGIC]
        for at in range(start, end, limit):
            stop = min(at + limit, end)
            ids = ids_all[at:stop]
            stored = stored_all[at:stop]
            maxweight = max(weights_all[at:stop])
            minlength, maxlength = None, 0
            if lengths_all is not None:
                lens = [x for x in lengths_all[at:stop] if x]
                if lens:
                    minlength, maxlength = min(lens), max(lens)
            # W3TermInfo.add_block
            ti._weight += sum(stored)
            ti._df += stop - at
            ti._minlength = minlength if ti._minlength is None else min(ti._minlength, minlength)
            ti._maxlength = max(ti._maxlength, maxlength)
            ti._maxweight = max(ti._maxweight, maxweight)
            if ti._minid is None:
                ti._minid = ids[0]
            ti._maxid = ids[-1]
            chunks.append(_encode_block(ids, (ids[0], *deltas_all[at + 1:stop]), stored,
                                        value_bytes[at * size:stop * size] if size else None,
                                        maxweight, minlength, maxlength, comp, stop == end))
        block = b"".join(chunks)
        postfile.write(block)
        ti.set_extent(offset, len(block))
        tindex_add(prefix + ordered[t], ti.to_bytes())


class FastSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with the postings kept in a TermPool.

    A field that gives its term counts with `term_counts(value)` and the posting
    value of a count with `posting_value(count)` (engine.index._Terms) skips Whoosh's
    per-posting loop entirely; any other field goes through `field.index()`.
    """

    def __init__(self, ix: Any, sidecar: Any = None, **kwargs: Any):
        """`sidecar`, when given, sees each field's sorted postings (TermPool.write) and then
        writes a file of its own into the segment: `sidecar.write(storage, segment, doccount)`."""
        self.sidecar = sidecar
        if not supports(ix.schema):
            raise ValueError("schema has fields FastSegmentWriter cannot write")
        super().__init__(ix, **kwargs)
        self.pool.cleanup()
        self.pool = TermPool(self.schema)

    @property
    def postings(self) -> int:
        """How many postings are held in memory (the caller commits before it grows too large)."""
        return self.pool.count

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        pdw = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        pdw.start_doc(docnum)
        try:
            for name in names:
                value = fields.get(name)
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    term_counts = getattr(field, "term_counts", None)
                    if term_counts is not None:
                        counts = term_counts(value)
                        self.pool.add_counts(name, counts, docnum, boost, field.posting_value)
                        if field.scorable:
                            length = sum(counts.values())
                    else:
                        for btext, freq, weight, vbytes in field.index(value):
                            if field.scorable:
                                length += freq
                            self.pool.add((name, btext, docnum, weight * boost, vbytes))
                stored = fields.get(f"_stored_{name}", value)
                pdw.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    pdw.add_column_value(name, column, field.to_column_value(stored))
        except Exception:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        count = self.docnum

        def lengths(name: str) -> np.ndarray:
            # Whoosh stores a field's length as one byte; postings carry the decoded value.
            out = np.zeros(max(count, 1), dtype=np.int64)
            if pdr is not None:
                for d in range(count):
                    out[d] = pdr.doc_field_length(d, name) or 0
            return out

        self.pool.write(self.fieldwriter, lengths, self.sidecar, count)
        if self.sidecar is not None:
            self.sidecar.write(self.storage, self.newsegment, count)
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()


__all__ = ["FastSegmentWriter", "TermPool", "supports"]
