"""The index on disk: its fields (Spec), the Whoosh schema, creating it and updating it.

Documents are analysed here, once each, and handed to the writer as ready term
counts (`_Terms`), so no analyser chain, no English stemmer and no per-token
Python objects run at index time.
"""
from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from whoosh import fields as wf
from whoosh import formats
from whoosh import index as windex
from whoosh.columns import VarBytesColumn
from whoosh.formats import pack_uint

from foundation import background

from ..segments import FastSegmentWriter
from . import dense
from .analysis import ENGINE_VERSION, analyse, analyse_with_grams, han_text, load_segmenter, normalise, normalise_id

SPEC_FILE = "spec.json"


class _Terms(wf.FieldType):
    """A Whoosh field analysed by `analyse` (text) or given as ready term counts (ids, keywords).

    plugins.search.segments writes such fields from `term_counts` and `posting_value`
    directly; `index()` gives the same postings to any other Whoosh writer.
    """

    def __init__(self, scorable: bool):
        self.format = formats.Frequency() if scorable else formats.Existence()
        self.scorable = scorable
        self.stored = False
        self.unique = False
        self.vector = None
        self.analyzer = None

    @staticmethod
    def term_counts(value: str | dict[str, int]) -> Counter[str] | dict[str, int]:
        return analyse(value) if isinstance(value, str) else value

    def index(self, value: str | dict[str, int], **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        # The posting values Whoosh's own Frequency and Existence formats write.
        for term, n in self.term_counts(value).items():
            yield term.encode("utf-8"), n, float(n), self.posting_value(n)

    def posting_value(self, count: int) -> bytes:
        return pack_uint(count) if self.scorable else b""

    def to_bytes(self, value: Any) -> bytes:
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)


# Whoosh pickles the schema into every index's TOC file, naming this class by its module:
# the name it had before the engine became a package, so that indexes already written
# (the cache, a published output/_search/) still open.  plugins.search.engine re-exports it.
_Terms.__module__ = "plugins.search.engine"


@dataclass(frozen=True)
class Spec:
    """Which fields an index has: text fields with their boosts, id and keyword fields."""

    text: tuple[tuple[str, float], ...]
    ids: tuple[str, ...]
    keywords: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"version": ENGINE_VERSION, "text": [list(t) for t in self.text], "ids": list(self.ids),
                "keywords": list(self.keywords)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Spec":
        return cls(tuple((n, float(b)) for n, b in data["text"]), tuple(data["ids"]), tuple(data["keywords"]))


@dataclass
class IndexDoc:
    """One document as the index needs it (built from a Pelican entry by plugins.search.docs)."""

    key: str                       # stable identity across builds (the page URL)
    text: dict[str, str]           # text field -> plain text (the body included)
    ids: dict[str, str]            # id field -> value (文号, 索引号 …)
    keywords: dict[str, str]       # keyword field -> value (column, year, 发布机构 …)
    show: dict[str, str]           # what a result shows: title, url, column, column_name, date, …
    body: str = ""                 # stored for snippets


# The companion terms of every text field (analysis.analyse_with_grams): each Han character and
# each pair of adjacent ones, in one field without counts.
GRAMS = "g"

# A column of the Han characters of every text field, normalised, runs one a line, in UTF-16
# and uncompressed: a candidate is checked for a run of characters by one read and one
# bytes.find, about 5 µs, where unpickling and inflating its stored text took 110 µs.
HAN = "han"

# Identifiers are also searched as text (weight 1), so part of one — 「2024-00012」,
# 「管发〔2023〕」 — finds its document; a whole one is an exact match (field "ids").
ID_TEXT = "_ids"


def text_fields(spec: Spec) -> tuple[tuple[str, float], ...]:
    return spec.text + ((ID_TEXT, 1.0),)


def _schema(spec: Spec) -> wf.Schema:
    schema = wf.Schema(key=wf.ID(unique=True), show=wf.COLUMN(VarBytesColumn()), body=wf.STORED(), plain=wf.STORED(),
                       **{HAN: wf.COLUMN(VarBytesColumn())},
                       ids=_Terms(scorable=False), kw=_Terms(scorable=False), **{GRAMS: _Terms(scorable=False)})
    for name, _boost in text_fields(spec):
        schema.add(f"t_{name}", _Terms(scorable=True))
    return schema


def kw_term(name: str, value: str) -> str:
    return f"{name}={value}"


def _fields_of(doc: IndexDoc, spec: Spec) -> dict[str, Any]:
    out: dict[str, Any] = {"key": doc.key}
    for name, _boost in spec.text:
        if doc.text.get(name):
            out[f"t_{name}"] = doc.text[name]
    if any(doc.ids.values()):
        out[f"t_{ID_TEXT}"] = " ".join(v for v in doc.ids.values() if v)
    ids = {normalise_id(v): 1 for v in doc.ids.values() if v}
    if ids:
        out["ids"] = ids
    out["kw"] = {kw_term(k, v): 1 for k, v in doc.keywords.items() if v}
    out["show"] = json.dumps(doc.show, ensure_ascii=False).encode("utf-8")
    out["body"] = doc.body  # Whoosh compresses stored fields itself
    # Whether the body is its own folded form (most are): a snippet then looks for the query's
    # words in it as it is, without folding up to 100,000 characters for every result shown.
    out["plain"] = normalise(doc.body) == doc.body
    return out


def _texts(doc: IndexDoc) -> list[str]:
    """Every text field and identifier of `doc`: what a run of characters is looked for in."""
    return [v for v in doc.text.values() if v] + [v for v in doc.ids.values() if v]


def create(path: Path, spec: Spec) -> None:
    """An empty index at `path` for documents of `spec`."""
    path.mkdir(parents=True, exist_ok=True)
    windex.create_in(str(path), _schema(spec))
    (path / SPEC_FILE).write_text(json.dumps(spec.as_json(), ensure_ascii=False), encoding="utf-8")


def read_spec(path: Path) -> Spec:
    data = json.loads((path / SPEC_FILE).read_text(encoding="utf-8"))
    if data.get("version") != ENGINE_VERSION:
        raise ValueError(f"index version {data.get('version')!r}, expected {ENGINE_VERSION!r}")
    return Spec.from_json(data)


# A segment's postings are held in memory until it is written (20 bytes each, plus the
# terms, plus sorting them): past this many the writer commits and starts another segment,
# so memory stays bounded however many documents a full rebuild has (about 15,000 laws a
# segment; Whoosh's merge policy leaves segments this size alone).  Every query visits
# every segment, so fewer is faster: at 20,000 documents 4 M gave 13 segments, 12 M gives 5
# (in process mean 6.1 -> 4.6 ms, p95 10.9 -> 8.5 ms; build 101 -> 78 s).  Since weights
# of 1 are not held and a sorted field frees its unsorted pool, 12 M peaks at 563 MB in the
# indexing process, where 4 M had peaked at 451 MB before those savings (docs/performance.md).
POSTINGS_PER_SEGMENT = 12_000_000


def _writer(ix: Any) -> Any:
    # Plain segment files, not one compound file per segment: Whoosh reads a compound
    # file's parts through BytesIO copies of the whole part, so a reader held the index's
    # columns and stored text in private memory (service at 20,000 documents: 588 MB,
    # of which 370 MB private; docs/performance.md).  Plain files are read as needed.
    # Each segment also keeps its common terms as bitmaps (engine.dense), read by queries.
    return FastSegmentWriter(ix, sidecar=dense.Writer(), compound=False)


# Past this many documents to add, they are analysed (segmented, their terms counted: about
# two fifths of the work of writing them) in worker processes while this one writes postings.
PARALLEL_FROM = 200


def _analysed(spec: Spec, doc: IndexDoc) -> dict[str, Any]:
    """The fields of `doc`, its text fields analysed: term counts (which the writer takes as
    they are: _Terms.term_counts) and their companion terms.  Run in worker processes when
    there are many documents."""
    fields = _fields_of(doc, spec)
    grams: set[str] = set()
    for name, value in fields.items():
        if name.startswith("t_"):
            fields[name], more = analyse_with_grams(value)
            grams |= more
    if grams:
        fields[GRAMS] = dict.fromkeys(grams, 1)
    fields[HAN] = han_text(_texts(doc)).encode("utf-16-le")
    return fields


def _fields_to_add(add: Sequence[IndexDoc], spec: Spec) -> Iterator[dict[str, Any]]:
    if len(add) < PARALLEL_FROM or not background.can_fork():
        for doc in add:
            yield _analysed(spec, doc)
        return
    # The workers share this process's copy of the segmenter's dictionary (70 MB) instead of
    # loading one each.  Documents are sent to them (pickled) rather than read from the
    # memory they share with this process: touching an inherited object copies the page
    # it lies on, and at 20,000 documents that was about 150 MB a worker.
    load_segmenter()
    with background.workers(2) as pool:
        yield from background.map_in_order(pool, functools.partial(_analysed, spec), add)


def update(path: Path, add: Sequence[IndexDoc], delete: Iterable[str]) -> int:
    """Delete documents by key, then analyse and add `add`; return how many were analysed.

    `add` may build its documents as they are asked for (plugins.search.store); they are
    analysed in worker processes when there are many.  Written by plugins.search.segments
    (the same files as Whoosh's own writer, about twice as fast).  The build runs this
    beside Pelican in a process of its own (foundation.background).
    """
    spec = read_spec(path)
    ix = windex.open_dir(str(path))
    writer = _writer(ix)
    analysed = 0
    try:
        for key in delete:
            writer.delete_by_term("key", key)
        for fields in _fields_to_add(add, spec):
            writer.add_document(**fields)
            analysed += 1
            if writer.postings >= POSTINGS_PER_SEGMENT:
                writer.commit(merge=False)
                writer = _writer(ix)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return analysed


def doc_count(path: Path) -> int:
    ix = windex.open_dir(str(path))
    try:
        return ix.doc_count()
    finally:
        ix.close()
