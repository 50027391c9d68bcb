"""One open generation of the index, and how a query is evaluated over it.

Queries are evaluated here over postings read into numpy arrays (plugins.search.engine.arrays)
and cached per index generation.  Whoosh's own matchers and BM25F scorer step through
postings one document at a time in Python: on the same index and queries they measured
p95 83 ms at 1,500 documents and 386 ms at 20,000, against 7 and 15 ms here (docs/search.md).
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
from whoosh import index as windex


from .analysis import CJK, HAN_RUN, bigrams, core, han_runs, normalise_id, query_words, title_core
from .arrays import (BytesColumn, Titles, column_index, date_index, field_lengths, map_reads, open_dense,
                     read_postings, read_shows)
from .index import GRAMS, HAN, kw_term, read_spec, text_fields
from .query import Hit, Query, Results, parse
from .runs import RUN_BONUS, RunLookups, and_masks as _and
from .snippets import snippet_html

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

Postings = tuple[np.ndarray, np.ndarray]


@dataclass
class _Clause:
    mask: np.ndarray
    score: np.ndarray
    parts: list["_Clause"] = field(default_factory=list)  # what a relaxed query matches any of
    unchecked: bool = False        # a run had more candidates than were checked


class Searcher(RunLookups):
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
        self._lock = threading.RLock()  # run_docs loads postings while holding it
        self._cache: OrderedDict[Any, Postings] = OrderedDict()
        self._cache_size = 0
        self.n = self._reader.doc_count_all()
        self.live = np.zeros(self.n, dtype=bool)
        self.live[list(self._reader.all_doc_ids())] = True
        self.count = int(self.live.sum())
        self.shows = read_shows(self._leaves, self.live)
        shows = self.shows.all()  # decoded once here, for the arrays below
        self.column_keys, self.column_of, self.column_names = column_index(shows)
        self.year_keys, self.year_of, self.date_of = date_index(shows)
        self._lengths: dict[str, tuple[np.ndarray, float]] = {
            name: field_lengths(self._leaves, f"t_{name}", self.live) for name, _boost in text_fields(self.spec)}
        self._titles = Titles(shows)
        self._gram_fields = [GRAMS]
        # Each segment's column of Han text, and the first document number of each.
        self._han = [BytesColumn(seg.column_reader(HAN)) for seg, _offset in self._leaves]
        self._starts = np.array([offset for _seg, offset in self._leaves], dtype=np.int64)
        self._maps = [m for f in self._mapped_files() if (m := map_reads(f)) is not None]
        self._maps += [column.map for column in self._han if column.map is not None]
        self._maps += [t.map for seg, _offset in self._leaves if (t := open_dense(seg)) is not None]

    def _mapped_files(self) -> Iterator[Any]:
        """The files every query reads from: each segment's term table and postings (its Han
        column maps itself: BytesColumn)."""
        for seg, _offset in self._leaves:
            yield seg._terms._tindex.dbfile
            yield seg._terms._postfile

    def close(self) -> None:
        self._reader.close()
        self._ix.close()
        for m in self._maps:
            m.close()

    # postings ---------------------------------------------------------------

    def _cached(self, key: Any, load: Callable[[], Postings]) -> Postings:
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

    def word(self, term: str) -> Postings:
        """Live documents containing `term` in any text field, with their BM25 sum over fields."""
        def load() -> Postings:
            total = np.zeros(self.n, dtype=np.float32)
            found = np.zeros(self.n, dtype=bool)
            for name, boost in text_fields(self.spec):
                ids, tf = read_postings(self._leaves, f"t_{name}", term)
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
        def load() -> Postings:
            ids, _w = read_postings(self._leaves, field_name, term)
            ids = ids[self.live[ids]] if ids.size else ids
            return ids, np.zeros(0, np.float32)
        return self._cached((field_name, term), load)[0]

    def stored_texts(self) -> Iterator[tuple[str, str]]:
        """(url, everything stored as text) of every live document: what the index could leak."""
        for d in np.flatnonzero(self.live):
            show = self.shows[d]
            yield show["url"], "\n".join([show.get("title", ""), show.get("summary", ""), show.get("doc_no", ""),
                                          self.han_of(int(d)).decode("utf-16-le"), self.stored_body(int(d))])

    def vocabulary(self) -> Iterator[str]:
        """Every term of the index, one a line in chunks: what a query could be answered with."""
        with self._lock:
            terms = [t.decode("utf-8", "replace") if isinstance(t, bytes) else str(t)
                     for _field, t in self._reader.all_terms()]
        for i in range(0, len(terms), 10_000):
            yield "\n".join(terms[i:i + 10_000])

    def han_of(self, docnum: int) -> bytes:
        """The document's Han text column (index.HAN): UTF-16 bytes, runs one a line."""
        leaf = int(np.searchsorted(self._starts, docnum, side="right")) - 1
        return self._han[leaf][docnum - int(self._starts[leaf])]

    def stored_body(self, docnum: int) -> str:
        return self._stored(docnum).get("body", "")

    def _stored(self, docnum: int) -> dict[str, Any]:
        """The document's stored fields: its body, and whether that is already folded ("plain")."""
        with self._lock:
            return self._reader.stored_fields(docnum)

    # clauses ----------------------------------------------------------------

    def _mask(self, docs: np.ndarray) -> np.ndarray:
        m = np.zeros(self.n, dtype=bool)
        m[docs] = True
        return m

    def _word_clause(self, w: str, pairs_too: bool = True) -> _Clause:
        docs, contrib = self.word(w)
        mask = self._mask(docs)
        score = np.zeros(self.n, dtype=np.float32)
        score[docs] = contrib
        if pairs_too and len(w) > 1 and CJK.match(w):
            # The word may be split differently in a document (「东疆」 inside 「津东疆管发」):
            # all of its character pairs present is a match too, scored by the other words.
            both = np.ones(self.n, dtype=bool)
            for p in dict.fromkeys(bigrams(w)):
                both &= self._mask(self.gram_docs(p))
            mask |= both
        return _Clause(mask, score)

    def _runs_clause(self, runs: list[str], others: list[_Clause], exact: bool) -> tuple[np.ndarray, bool]:
        """(documents holding every run and matching the other clauses, whether some candidates
        were left unchecked)."""
        held = [self.run_docs(r, exact) for r in runs]
        mask = _and([self._mask(sure) for sure, _rest in held] + [c.mask for c in others], self.n)
        return mask, any(rest.size for _sure, rest in held)

    def _chunk_clauses(self, chunk: str, id_hits: np.ndarray) -> list[_Clause]:
        """The clauses of a bare query part: every word, or else every run of Han characters
        exactly as typed (a fragment pasted from a text, cut mid-word); a part naming an
        identifier matches that document."""
        ident = self.exact("ids", normalise_id(chunk))
        words = query_words(chunk)
        clauses = [self._word_clause(w) for w in words]
        if ident.size:
            id_hits[ident] = True
            whole = _and([c.mask for c in clauses], self.n)
            whole[ident] = True
            return [_Clause(whole, sum((c.score for c in clauses), np.zeros(self.n, np.float32)))]
        runs = han_runs(chunk)
        if not runs:
            return clauses
        others = [c for w, c in zip(words, clauses) if not HAN_RUN.search(w)]
        held, _unchecked = self._runs_clause(runs, others, exact=False)
        score = sum((c.score for c in clauses), np.zeros(self.n, np.float32)) + held * RUN_BONUS
        return [_Clause(_and([c.mask for c in clauses], self.n) | held, score, parts=clauses)]

    def _phrase_clause(self, phrase: str) -> _Clause:
        """A quoted phrase: only documents that hold each of its runs of Han characters exactly
        (and its other words), ranked by its words."""
        words = query_words(phrase)
        clauses = [self._word_clause(w, pairs_too=False) for w in words]
        score = sum((c.score for c in clauses), np.zeros(self.n, np.float32))
        runs = han_runs(phrase)
        if not runs:
            return _Clause(_and([c.mask for c in clauses], self.n), score)
        others = [c for w, c in zip(words, clauses) if not HAN_RUN.search(w)]
        held, unchecked = self._runs_clause(runs, others, exact=True)
        return _Clause(held, score + held * RUN_BONUS, unchecked=unchecked)

    def _clauses(self, q: Query, id_hits: np.ndarray) -> list[_Clause]:
        clauses: list[_Clause] = []
        for chunk in q.chunks:
            clauses += self._chunk_clauses(chunk, id_hits)
        clauses += [self._phrase_clause(p) for p in q.phrases]
        return clauses

    # evaluation -------------------------------------------------------------

    def _combine(self, clauses: list[_Clause], known: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        """(matches, BM25 sums, relaxed): the AND of the clauses, or else their OR, plus `known`
        (the documents the whole query names by title or identifier; taken over)."""
        score = np.zeros(self.n, dtype=np.float32)
        if not clauses:
            return known, score, False
        match = np.ones(self.n, dtype=bool)
        for c in clauses:
            match &= c.mask
            score += c.score
        match |= known
        relaxed = not (match & self.live).any() and (len(clauses) > 1 or len(clauses[0].parts) > 1)
        if relaxed:
            # No document has every word: show those with some, best first, and say so.
            for c in clauses:
                match |= c.mask
                for part in c.parts:
                    match |= part.mask
        return match, score, relaxed

    def _add_known_item_bonus(self, score: np.ndarray, wanted: str, in_title: np.ndarray,
                              id_hits: np.ndarray) -> None:
        if wanted:
            title_len = self._titles.lengths
            coverage = np.minimum(len(wanted) / title_len, 1.0)
            score += in_title * (TITLE_CONTAINS * coverage)
            score += (in_title & (title_len == len(wanted))) * TITLE_EXACT
        score += id_hits * ID_EXACT

    def _filter(self, match: np.ndarray, filters: dict[str, str]) -> tuple[np.ndarray, dict[str, dict[str, int]]]:
        """(matches that pass the keyword filters, facet counts); column and year narrow each
        other's facet counts, not their own."""
        base = match.copy()
        by_column = np.ones(self.n, dtype=bool)
        by_year = np.ones(self.n, dtype=bool)
        for name, value in filters.items():
            m = self._mask(self.exact("kw", kw_term(name, value)))
            if name == "column":
                by_column = m
            elif name == "year":
                by_year = m
            else:
                base &= m
        facets = {
            "column": self._counts(base & by_year, self.column_of, self.column_keys),
            "year": self._counts(base & by_column, self.year_of, self.year_keys),
        }
        return base & by_column & by_year, facets

    def _page(self, docs: np.ndarray, score: np.ndarray, sort: str, page: int, per_page: int) -> np.ndarray:
        """The documents of one page, best (or newest) first."""
        if sort == "date":
            order = np.lexsort((docs, -score[docs], -self.date_of[docs]))
        else:
            order = np.lexsort((docs, -self.date_of[docs], -score[docs]))
        start = (page - 1) * per_page
        return docs[order[start:start + per_page]] if page >= 1 else docs[:0]

    def search(self, text: str, page: int = 1, per_page: int = 10, sort: str = "relevance",
               filters: dict[str, str] | None = None) -> Results:
        """Run a query: AND of its words and phrases, filtered, counted by column and year, one page."""
        q = parse(text)
        id_hits = np.zeros(self.n, dtype=bool)
        clauses = self._clauses(q, id_hits)
        whole = core(" ".join(q.chunks + q.phrases))
        wanted = title_core(whole)
        in_title = self._titles.containing(wanted, self.live)
        if len(q.chunks) > 1:  # a 文号 typed with spaces inside it
            id_hits[self.exact("ids", normalise_id(q.raw))] = True
        match, score, relaxed = self._combine(clauses, in_title | id_hits)
        match &= self.live
        self._add_known_item_bonus(score, wanted, in_title, id_hits)
        capped = any(c.unchecked for c in clauses)
        final, facets = self._filter(match, {k: v for k, v in (filters or {}).items() if v})
        docs = np.flatnonzero(final)
        total = int(docs.size)
        chosen = self._page(docs, score, sort, page, per_page)
        words = self._highlight_words(q)
        hits = [self._hit(int(d), float(score[d]), words) for d in chosen]
        return Results(q.raw, total, page, max(1, math.ceil(total / per_page)), per_page, hits, facets,
                       relaxed, bool(clauses) or bool(whole), capped)

    # results ----------------------------------------------------------------

    @staticmethod
    def _counts(mask: np.ndarray, codes: np.ndarray, keys: list[str]) -> dict[str, int]:
        counts = np.bincount(codes[mask], minlength=len(keys)) if keys else np.zeros(0, dtype=np.int64)
        return {keys[i]: int(c) for i, c in enumerate(counts) if c}

    @staticmethod
    def _highlight_words(q: Query) -> list[str]:
        words: dict[str, None] = {}
        for p in q.phrases:
            words.setdefault(p, None)
            for r in han_runs(p):
                words.setdefault(r, None)
        for chunk in q.chunks:
            words.setdefault(chunk, None)
            for r in han_runs(chunk):  # as normalised: a traditional query marks simplified text
                words.setdefault(r, None)
            for w in query_words(chunk):
                words.setdefault(w, None)
        return sorted(words, key=len, reverse=True)

    def _hit(self, docnum: int, score: float, words: list[str]) -> Hit:
        s = self.shows[docnum]
        stored = self._stored(docnum)
        body = stored.get("body", "")
        snippet = (snippet_html(body, words, plain=stored.get("plain", False)) or snippet_html(s.get("summary", ""), words)
                   or snippet_html(s.get("summary", "") or body, words, always=True))
        return Hit(s["key"], s["url"], s["title"], tuple(words), s["column"],
                   s.get("column_name", s["column"]), s.get("date", ""), s.get("index_no", ""),
                   s.get("doc_no", ""), snippet, score, s.get("validity", ""))
