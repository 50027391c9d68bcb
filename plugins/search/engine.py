"""Whoosh and the Chinese segmenter behind one small interface: analyse, write, search.

Nothing else in xxgk imports `whoosh` or `rjieba` (but plugins.search.segments, the
faster writer of Whoosh's own segment files this module uses).  Whoosh keeps the index on
disk (segments, term dictionary, postings, deletions, stored bodies, merges);
this module does the analysis and evaluates queries itself:

* Analysis is done here, once per document, and handed to Whoosh as ready
  term counts (`_Terms`), so no analyser chain, no English stemmer and no
  per-token Python objects run at index time.
* Queries are evaluated over postings read block-wise into numpy arrays and
  cached per index generation.  Whoosh's own matchers and BM25F scorer step
  through postings one document at a time in Python: on the same index and
  queries they measured p95 83 ms at 1,500 documents and 386 ms at 20,000,
  against 7 and 15 ms here (docs/search.md).
* Snippets are cut from the stored plain text by plain substring search for the
  query's words: nothing is segmented again at query time.

Segmenter: `rjieba` (Rust bindings of jieba, the same dictionary and model),
chosen by measurement on ../shared/corpus/laws (docs/search.md): `cut` 18-22×
the speed of `jieba`'s, with identical output on 1,509 of 1,512 documents.
"""
from __future__ import annotations

import functools
import html
import json
import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import rjieba
from whoosh import fields as wf
from whoosh import formats
from whoosh import index as windex
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import VarBytesColumn
from whoosh.formats import pack_uint
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from foundation.validate import normalise_doc_no
from foundation import background

from .segments import FastSegmentWriter

SEGMENTER = "rjieba"
# Bump whenever analysis or the index layout changes: a stored index of another
# version is rebuilt in full instead of being mixed with differently analysed text.
ENGINE_VERSION = f"5/{SEGMENTER}-{getattr(rjieba, '__version__', '0.2.2')}"
SPEC_FILE = "spec.json"
MAX_QUERY_CHARS = 100

# Single-character function words: in nearly every document, so they cost index
# space and query time while telling documents apart not at all.
STOPWORDS = frozenset("的 了 着 和 与 及 或 之 在 是 对 等 其 并 于 由 为 将 被 把 以 而 且 也 就 都 所".split())
# National laws and regulations carry the state's name; people leave it out when
# they search (「政府信息公开条例」), so title matching ignores it.
TITLE_OMITTED_PREFIX = "中华人民共和国"

# BM25 (Robertson/Spärck Jones; k1 and b as in Lucene and Whoosh).
K1 = 1.2
B = 0.75
# Known-item bonuses, added to the BM25 sum.  A title that contains the whole
# query outranks any body-only match; an exact title or identifier wins outright.
TITLE_CONTAINS = 20.0   # × the share of the title the query covers
TITLE_EXACT = 40.0
ID_EXACT = 1000.0
# Postings held in memory per open index (ids + contributions, 8 bytes each): 32 MB a
# worker.  Half as many took the HTTP p95 at 20,000 documents from 40 to 53 ms.
CACHE_POSTINGS = 4_000_000
# Most candidates whose stored text a phrase query reads (see Searcher.search).
PHRASE_CHECKS = 1000

_WORDLIKE = re.compile(r"\w")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
_SPACE = re.compile(r"\s+")
_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


class QueryError(ValueError):
    """The query cannot be run as asked (too long); the message is for the user."""


# --- analysis -----------------------------------------------------------------

# Full-width letters and digits (Ａ１) folded to ASCII: the part of NFKC that matters
# for matching Chinese text.  NFKC itself took a third of analysis time, and so does
# str.translate on every text, so only texts that have such characters are translated.
_FOLD = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}


def normalise(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case: the same on both sides of a match."""
    if _FULLWIDTH.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def core(text: str) -> str:
    """Normalised text with punctuation and spaces removed, for substring matching."""
    return _NON_WORD.sub("", normalise(text))


def title_core(title: str) -> str:
    c = core(title)
    return c[len(TITLE_OMITTED_PREFIX):] if c.startswith(TITLE_OMITTED_PREFIX) and \
        len(c) > len(TITLE_OMITTED_PREFIX) else c


def normalise_id(value: str) -> str:
    """An identifier (文号, 索引号, 信用代码) as stored and as looked up: 〔〕 brackets, no spaces."""
    return normalise_doc_no(_SPACE.sub("", unicodedata.normalize("NFKC", value))).upper()


def _keep(word: str) -> bool:
    return word not in STOPWORDS and bool(_WORDLIKE.search(word)) and not word.isspace()


def bigrams(word: str) -> list[str]:
    return [word[i:i + 2] for i in range(len(word) - 1)]


def analyse(text: str) -> Counter[str]:
    """Term counts of `text`: jieba words, plus the character pairs of every longer Chinese word.

    The pairs make a two-character query word find a document in which the
    segmenter glued it to its neighbours (「东疆」 in 「津东疆管发」), which
    jieba's search mode does only for pairs that are dictionary words.
    """
    counts = Counter(rjieba.cut(normalise(text), hmm=True))
    for word in [w for w in counts if not _keep(w)]:
        del counts[word]
    for word, n in list(counts.items()):
        if len(word) > 2 and _CJK.match(word):
            for pair in bigrams(word):
                counts[pair] += n
    return counts


def load_segmenter() -> None:
    """Load the segmenter's dictionary now (about 70 MB, loaded on first use otherwise).

    A WSGI server that loads the app before forking its workers (gunicorn --preload)
    then has one copy of it shared by all workers instead of one each.
    """
    rjieba.cut("东疆综合保税区", hmm=True)


def query_words(text: str) -> list[str]:
    """The words of a query, in order, without repeats."""
    seen: dict[str, None] = {}
    for w in rjieba.cut(normalise(text), hmm=True):
        if _keep(w):
            seen.setdefault(w, None)
    return list(seen)


_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|li|tr|td|th|h[1-6]|table|ul|ol|dl|dt|dd|blockquote|pre|hr)\b"
                         r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|<!--.*?-->", re.S)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, one line per block."""
    text = _HIDDEN.sub(" ", markup)
    text = _BLOCK_TAGS.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- the index on disk ----------------------------------------------------------

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


# Identifiers are also searched as text (weight 1), so part of one — 「2024-00012」,
# 「管发〔2023〕」 — finds its document; a whole one is an exact match (field "ids").
ID_TEXT = "_ids"


def text_fields(spec: Spec) -> tuple[tuple[str, float], ...]:
    return spec.text + ((ID_TEXT, 1.0),)


def _schema(spec: Spec) -> wf.Schema:
    schema = wf.Schema(key=wf.ID(unique=True), show=wf.COLUMN(VarBytesColumn()), body=wf.STORED(),
                       ids=_Terms(scorable=False), kw=_Terms(scorable=False))
    for name, _boost in text_fields(spec):
        schema.add(f"t_{name}", _Terms(scorable=True))
    return schema


def _kw_term(name: str, value: str) -> str:
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
    out["kw"] = {_kw_term(k, v): 1 for k, v in doc.keywords.items() if v}
    out["show"] = json.dumps(doc.show, ensure_ascii=False).encode("utf-8")
    out["body"] = doc.body  # Whoosh compresses stored fields itself
    return out


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
# so memory stays bounded however many documents a full rebuild has (about 5,000 laws a
# segment; Whoosh's merge policy leaves segments this size alone).  2 M was tried: 100 MB
# less at the build's peak (20,000 documents), but twice the segments for every query to
# visit (p95 in process 11 -> 17.6 ms, over HTTP 43 -> 58 ms) and a 6 s slower build.
POSTINGS_PER_SEGMENT = 4_000_000


def _writer(ix: Any) -> Any:
    # Plain segment files, not one compound file per segment: Whoosh reads a compound
    # file's parts through BytesIO copies of the whole part, so a reader held the index's
    # columns and stored text in private memory (service at 20,000 documents: 588 MB,
    # of which 370 MB private; docs/performance.md).  Plain files are read as needed.
    return FastSegmentWriter(ix, compound=False)


# Past this many documents to add, they are analysed (segmented, their terms counted: about
# two fifths of the work of writing them) in worker processes while this one writes postings.
PARALLEL_FROM = 200


def _analysed(spec: Spec, doc: IndexDoc) -> dict[str, Any]:
    """In a worker: the fields of `doc`, its text fields as term counts (which the writer
    takes as they are: _Terms.term_counts)."""
    fields = _fields_of(doc, spec)
    for name, value in fields.items():
        if name.startswith("t_"):
            fields[name] = analyse(value)
    return fields


def _fields_to_add(add: Sequence[IndexDoc], spec: Spec) -> Iterator[dict[str, Any]]:
    if len(add) < PARALLEL_FROM or not background.can_fork():
        for doc in add:
            yield _fields_of(doc, spec)
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


# --- queries ------------------------------------------------------------------

@dataclass
class Query:
    """A user's query, parsed: nothing in it is syntax except double quotes around phrases."""

    raw: str
    chunks: list[str]              # whitespace-separated bare parts
    phrases: list[str]

    @property
    def empty(self) -> bool:
        return not self.chunks and not self.phrases


def parse(text: str) -> Query:
    """Split a query into phrases (in quotes) and bare parts; Whoosh syntax is just text here."""
    raw = text.strip()
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"搜索词太长：{len(raw)} 个字，最多 {MAX_QUERY_CHARS} 个字")
    phrases = [next(g for g in m.groups() if g is not None) for m in _QUOTED.finditer(raw)]
    rest = _QUOTED.sub(" ", raw)
    # An unmatched quote is a typo, not syntax.
    rest = rest.replace('"', " ").replace("“", " ").replace("”", " ")
    return Query(raw, rest.split(), [p.strip() for p in phrases if core(p)])


@dataclass
class Hit:
    key: str
    url: str
    title: str
    title_html: str
    column: str
    column_name: str
    date: str
    index_no: str
    doc_no: str
    snippet_html: str
    score: float
    validity: str = ""             # 失效 / 废止, shown beside the title; "" when in force


@dataclass
class Results:
    query: str
    total: int
    page: int
    pages: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    relaxed: bool = False          # no document had every word: these have some
    searchable: bool = True        # the query had at least one word to look for
    capped: bool = False           # a phrase was checked in the best PHRASE_CHECKS candidates only


@dataclass
class _Clause:
    mask: np.ndarray
    score: np.ndarray


class _Shows:
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


class Searcher:
    """One open generation of the index, with the per-document arrays queries need.

    Thread-safe: Whoosh's file readers are not, so reading postings and stored
    bodies takes a lock; cached postings are immutable arrays.
    """

    def __init__(self, path: Path):
        self.path = path
        self.spec = read_spec(path)
        self._ix = windex.open_dir(str(path))
        self._reader = self._ix.reader()
        self._leaves = list(self._reader.leaf_readers())
        self._lock = threading.Lock()
        self._cache: OrderedDict[Any, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cache_size = 0
        n = self._reader.doc_count_all()
        self.n = n
        self.live = np.zeros(n, dtype=bool)
        self.live[list(self._reader.all_doc_ids())] = True
        self.count = int(self.live.sum())
        raw: list[bytes] = [b""] * n
        for seg, offset in self._leaves:
            column = seg.column_reader("show")
            for i in range(seg.doc_count_all()):
                if self.live[offset + i]:
                    raw[offset + i] = column[i]
        self.shows = _Shows(raw)
        shows = [self.shows[d] for d in range(n)]  # decoded once here, for the arrays below
        columns = sorted({s.get("column", "") for s in shows if s})
        years = sorted({s.get("date", "")[:4] for s in shows if s}, reverse=True)
        self.column_keys = columns
        self.year_keys = years
        col_index = {c: i for i, c in enumerate(columns)}
        year_index = {y: i for i, y in enumerate(years)}
        self.column_of = np.array([col_index.get(s.get("column", ""), 0) for s in shows], dtype=np.int16)
        self.year_of = np.array([year_index.get(s.get("date", "")[:4], 0) for s in shows], dtype=np.int16)
        self.date_of = np.array([int(s.get("date", "0000-00-00").replace("-", "") or 0) if s else 0
                                 for s in shows], dtype=np.int32)
        self.column_names = {s["column"]: s.get("column_name", s["column"]) for s in shows if s}
        # Field lengths as Whoosh keeps them (one byte each, a few per cent off for long texts).
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        for name, _boost in text_fields(self.spec):
            lens = np.zeros(n, dtype=np.float32)
            for seg, offset in self._leaves:
                lens[offset:offset + seg.doc_count_all()] = _field_lengths(seg, f"t_{name}")
            live_lens = lens[self.live]
            self._lengths[name] = (lens, float(live_lens.mean()) if live_lens.size else 0.0)
        # Title cores joined with a separator: one C-speed scan finds every title
        # containing the query, which rescues what segmentation splits differently.
        cores = [title_core(s.get("title", "")) if s else "" for s in shows]
        self._titles = "\x00".join(cores)
        self._title_len = np.array([max(len(c), 1) for c in cores], dtype=np.float32)
        starts = np.zeros(n, dtype=np.int64)
        if n:
            starts[1:] = np.cumsum([len(c) + 1 for c in cores[:-1]])
        self._title_starts = starts

    def close(self) -> None:
        self._reader.close()
        self._ix.close()

    # postings ---------------------------------------------------------------

    def _raw(self, field_name: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of a term in a field, across segments, deleted documents included."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for seg, offset in self._leaves:
            try:
                m = seg.postings(field_name, term)
            except (TermNotFound, KeyError):
                continue
            while isinstance(m, WrappingMatcher):  # deletions are filtered by self.live
                m = m.child
            if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
                # Whole posting blocks at a time (whoosh 2.7 W3LeafMatcher).
                while m.is_active():
                    m._read_ids()
                    m._read_weights()
                    ids.append(np.asarray(m._ids, dtype=np.int32) + offset)
                    weights.append(np.asarray(m._weights, dtype=np.float32))
                    m._next_block()
            else:
                pairs = list(m.items_as("weight"))
                ids.append(np.array([p[0] for p in pairs], dtype=np.int32) + offset)
                weights.append(np.array([p[1] for p in pairs], dtype=np.float32))
        if not ids:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        return np.concatenate(ids), np.concatenate(weights)

    def _cached(self, key: Any, load: Any) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            value = load()
            self._cache[key] = value
            self._cache_size += value[0].size
            while self._cache_size > CACHE_POSTINGS and len(self._cache) > 1:
                _k, old = self._cache.popitem(last=False)
                self._cache_size -= old[0].size
            return value

    def word(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Live documents containing `term` in any text field, with their BM25 sum over fields."""
        def load() -> tuple[np.ndarray, np.ndarray]:
            total = np.zeros(self.n, dtype=np.float32)
            found = np.zeros(self.n, dtype=bool)
            for name, boost in text_fields(self.spec):
                ids, tf = self._raw(f"t_{name}", term)
                if not ids.size:
                    continue
                keep = self.live[ids]
                ids, tf = ids[keep], tf[keep]
                if not ids.size:
                    continue
                df = ids.size
                idf = math.log(1.0 + (self.count - df + 0.5) / (df + 0.5))
                lens, avg = self._lengths[name]
                norm = K1 * (1.0 - B + B * lens[ids] / (avg or 1.0))
                total[ids] += boost * idf * tf * (K1 + 1.0) / (tf + norm)
                found[ids] = True
            docs = np.flatnonzero(found).astype(np.int32)
            return docs, total[docs]
        return self._cached(("w", term), load)

    def exact(self, field_name: str, term: str) -> np.ndarray:
        """Live documents with `term` in an exact-match field (ids, kw)."""
        def load() -> tuple[np.ndarray, np.ndarray]:
            ids, _w = self._raw(field_name, term)
            ids = ids[self.live[ids]] if ids.size else ids
            return ids, np.zeros(0, np.float32)
        return self._cached((field_name, term), load)[0]

    def stored_texts(self) -> Iterator[tuple[str, str]]:
        """(url, everything stored as text) of every live document: what the index could leak."""
        for d in np.flatnonzero(self.live):
            show = self.shows[d]
            yield show["url"], "\n".join([show.get("title", ""), show.get("summary", ""), show.get("doc_no", ""),
                                          self.stored_body(int(d))])

    def vocabulary(self) -> Iterator[str]:
        """Every term of the index, one a line in chunks: what a query could be answered with."""
        with self._lock:
            terms = [t.decode("utf-8", "replace") if isinstance(t, bytes) else str(t)
                     for _field, t in self._reader.all_terms()]
        for i in range(0, len(terms), 10_000):
            yield "\n".join(terms[i:i + 10_000])

    def stored_body(self, docnum: int) -> str:
        with self._lock:
            return self._reader.stored_fields(docnum).get("body", "")

    # evaluation -------------------------------------------------------------

    def _mask(self, docs: np.ndarray) -> np.ndarray:
        m = np.zeros(self.n, dtype=bool)
        m[docs] = True
        return m

    def _word_clause(self, w: str, pairs_too: bool = True) -> _Clause:
        docs, contrib = self.word(w)
        mask = self._mask(docs)
        score = np.zeros(self.n, dtype=np.float32)
        score[docs] = contrib
        if pairs_too and len(w) > 2 and _CJK.match(w):
            # The word may be split differently in a document: all of its character
            # pairs present counts as a (weaker) match.
            pairs = [self.word(p) for p in dict.fromkeys(bigrams(w))]
            both = np.ones(self.n, dtype=bool)
            part = np.zeros(self.n, dtype=np.float32)
            for pdocs, pcontrib in pairs:
                both &= self._mask(pdocs)
                part[pdocs] += pcontrib
            extra = both & ~mask
            score[extra] = part[extra] / len(pairs)
            mask |= both
        return _Clause(mask, score)

    def _chunk_clauses(self, chunk: str, id_hits: np.ndarray) -> list[_Clause]:
        """One clause per word of a bare query part; a part naming an identifier matches that document."""
        ident = self.exact("ids", normalise_id(chunk))
        clauses = [self._word_clause(w) for w in query_words(chunk)]
        if ident.size:
            id_hits[ident] = True
            whole = np.ones(self.n, dtype=bool)
            score = np.zeros(self.n, dtype=np.float32)
            for c in clauses:
                whole &= c.mask
                score += c.score
            whole[ident] = True
            return [_Clause(whole, score)]
        return clauses

    def _title_contains(self, text: str) -> np.ndarray:
        """Documents whose title core contains `text`."""
        found = np.zeros(self.n, dtype=bool)
        if not text:
            return found
        pos = [m.start() for m in re.finditer(re.escape(text), self._titles)]
        if pos:
            found[np.searchsorted(self._title_starts, np.array(pos), side="right") - 1] = True
        return found & self.live

    def _phrase_ok(self, docnum: int, phrase: str, pattern: re.Pattern[str]) -> bool:
        show = self.shows[docnum]
        if phrase in core(show.get("title", "")) or phrase in core(show.get("summary", "")):
            return True
        # The raw body, allowing punctuation and spaces between characters; normalising
        # whole bodies (NFKC) is what made this slow, so only bodies with
        # full-width letters or digits take that path.
        body = self.stored_body(docnum)
        return phrase in body or bool(pattern.search(body)) or (bool(_FULLWIDTH.search(body)) and phrase in core(body))

    def search(self, text: str, page: int = 1, per_page: int = 10, sort: str = "relevance",
               filters: dict[str, str] | None = None) -> Results:
        """Run a query: AND of its words and phrases, filtered, counted by column and year, one page."""
        q = parse(text)
        filters = {k: v for k, v in (filters or {}).items() if v}
        id_hits = np.zeros(self.n, dtype=bool)
        clauses: list[_Clause] = []
        for chunk in q.chunks:
            clauses += self._chunk_clauses(chunk, id_hits)
        to_verify: list[tuple[str, re.Pattern[str]]] = []
        for phrase in q.phrases:
            words = query_words(phrase)
            if len(words) == 1 and words[0] == core(phrase):
                # A phrase that is one word is matched exactly by its own postings.
                clauses.append(self._word_clause(words[0], pairs_too=False))
            else:
                clauses += [self._word_clause(w) for w in words]
                to_verify.append((core(phrase), _phrase_pattern(core(phrase))))
        whole = core(" ".join(q.chunks + q.phrases))
        wanted = title_core(whole)
        in_title = self._title_contains(wanted)
        if len(q.chunks) > 1:  # a 文号 typed with spaces inside it
            id_hits[self.exact("ids", normalise_id(q.raw))] = True
        searchable = bool(clauses) or bool(whole)
        score = np.zeros(self.n, dtype=np.float32)
        relaxed = False
        if clauses:
            match = np.ones(self.n, dtype=bool)
            for c in clauses:
                match &= c.mask
                score += c.score
            match |= in_title | id_hits
            if not (match & self.live).any() and len(clauses) > 1:
                # No document has every word: show those with some, best first, and say so.
                relaxed = True
                for c in clauses:
                    match |= c.mask
        else:
            match = in_title | id_hits
        match &= self.live
        if wanted:
            coverage = np.minimum(len(wanted) / self._title_len, 1.0)
            score += in_title * (TITLE_CONTAINS * coverage)
            score += (in_title & (self._title_len == len(wanted))) * TITLE_EXACT
        score += id_hits * ID_EXACT
        capped = False
        if to_verify:
            candidates = np.flatnonzero(match)
            if candidates.size > PHRASE_CHECKS:
                # Checking a body means reading and inflating its stored text (~0.1 ms):
                # the best-scoring candidates are checked, and the page says so.
                candidates = candidates[np.argsort(-score[candidates], kind="stable")[:PHRASE_CHECKS]]
                match[:] = False
                capped = True
            for d in candidates:
                match[d] = all(self._phrase_ok(int(d), p, rx) for p, rx in to_verify)

        # Keyword filters; column and year narrow each other's facet counts, not their own.
        base = match.copy()
        by_column = np.ones(self.n, dtype=bool)
        by_year = np.ones(self.n, dtype=bool)
        for name, value in filters.items():
            m = self._mask(self.exact("kw", _kw_term(name, value)))
            if name == "column":
                by_column = m
            elif name == "year":
                by_year = m
            else:
                base &= m
        final = base & by_column & by_year
        facets = {
            "column": self._counts(base & by_year, self.column_of, self.column_keys),
            "year": self._counts(base & by_column, self.year_of, self.year_keys),
        }
        docs = np.flatnonzero(final)
        total = int(docs.size)
        pages = max(1, math.ceil(total / per_page))
        if sort == "date":
            order = np.lexsort((docs, -score[docs], -self.date_of[docs]))
        else:
            order = np.lexsort((docs, -self.date_of[docs], -score[docs]))
        start = (page - 1) * per_page
        chosen = docs[order[start:start + per_page]] if page >= 1 else docs[:0]
        words = self._highlight_words(q)
        hits = [self._hit(int(d), float(score[d]), words) for d in chosen]
        return Results(q.raw, total, page, pages, per_page, hits, facets, relaxed, searchable, capped)

    @staticmethod
    def _counts(mask: np.ndarray, codes: np.ndarray, keys: list[str]) -> dict[str, int]:
        counts = np.bincount(codes[mask], minlength=len(keys)) if keys else np.zeros(0, dtype=np.int64)
        return {keys[i]: int(c) for i, c in enumerate(counts) if c}

    @staticmethod
    def _highlight_words(q: Query) -> list[str]:
        words: dict[str, None] = {}
        for p in q.phrases:
            words.setdefault(p, None)
        for chunk in q.chunks:
            words.setdefault(chunk, None)
            for w in query_words(chunk):
                words.setdefault(w, None)
        return sorted(words, key=len, reverse=True)

    def _hit(self, docnum: int, score: float, words: list[str]) -> Hit:
        s = self.shows[docnum]
        body = self.stored_body(docnum)
        snippet = (snippet_html(body, words) or snippet_html(s.get("summary", ""), words)
                   or snippet_html(s.get("summary", "") or body, words, always=True))
        return Hit(s["key"], s["url"], s["title"], mark(s["title"], words), s["column"],
                   s.get("column_name", s["column"]), s.get("date", ""), s.get("index_no", ""),
                   s.get("doc_no", ""), snippet, score, s.get("validity", ""))


# Whoosh's one-byte field lengths, decoded (byte 0: no length, as doc_field_length gives it).
_BYTE_LENGTHS = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float32)


def _field_lengths(seg: Any, fieldname: str) -> np.ndarray:
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


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"[\W_]*".join(re.escape(c) for c in phrase), re.I)


# --- snippets -----------------------------------------------------------------

SNIPPET_CHARS = 120
_SNIPPET_LEAD = 24


@functools.lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    # One query marks its words in every hit's title and snippet: built once, not per text.
    kept = [w for w in words if w.strip()]
    if not kept:
        return None
    # Longest first so a phrase is marked whole rather than as its parts.
    return re.compile("|".join(re.escape(w) for w in sorted(set(kept), key=len, reverse=True)), re.I)


def mark(text: str, words: list[str]) -> str:
    """`text` HTML-escaped, with the query's words wrapped in <mark>."""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet_html(text: str, words: list[str], always: bool = False) -> str:
    """The passage of `text` with the most distinct query words, escaped and marked; '' if none.

    Candidate passages start at each word's first occurrence (str.find, C
    speed): scanning every occurrence of common words in long bodies cost
    more than the rest of a query.
    """
    wanted = [normalise(w) for w in dict.fromkeys(words) if w.strip()]
    low = normalise(text)
    if len(low) != len(text):  # a character whose lower case is longer: positions would drift
        low = text
    firsts = sorted(p for p in (low.find(w) for w in wanted) if p >= 0)
    if not firsts:
        if not always or not text:
            return ""
        cut = text[:SNIPPET_CHARS]
        return html.escape(cut) + ("…" if len(text) > SNIPPET_CHARS else "")

    def distinct(at: int) -> int:
        window = low[max(0, at - _SNIPPET_LEAD):at - _SNIPPET_LEAD + SNIPPET_CHARS]
        return sum(1 for w in wanted if w in window)

    best = max(firsts, key=lambda at: (distinct(at), -at))
    start = max(0, best - _SNIPPET_LEAD)
    # Start after a line break near the match when there is one: passages read better whole.
    newline = text.rfind("\n", start, best)
    if newline != -1:
        start = newline + 1
    end = min(len(text), start + SNIPPET_CHARS)
    passage = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + mark(passage, words) + ("…" if end < len(text) else "")


__all__ = ["ENGINE_VERSION", "Hit", "IndexDoc", "MAX_QUERY_CHARS", "QueryError", "Results", "Searcher",
           "Spec", "analyse", "create", "doc_count", "html_to_text", "mark", "normalise_id", "parse",
           "query_words", "read_spec", "snippet_html", "update"]
