"""Runs of Han characters in the index: which documents hold one, from the companion terms
(index.GRAMS) and, where they leave a doubt, the document's column of Han text (index.HAN).

Part of Searcher (plugins.search.engine.searcher), which supplies the open reader, the
posting cache and the per-document arrays these methods use.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .analysis import bigrams
from .arrays import Titles, doc_frequency, read_postings
from .index import Spec, text_fields

# Added for a query part whose every run of Han characters the document holds exactly, as
# typed: above any sum of word scores (a title's words reached 118 on the laws corpus), so
# that a document holding a pasted fragment comes before those that only have its words
# (and a run in one document only puts it first), below an exact identifier.  Documents that all hold the run keep their order among
# themselves (title bonuses included).
RUN_BONUS = 500.0

# Most candidates checked for a quoted phrase (RunLookups.run_docs): one check is a read of
# the document's Han column and a bytes.find, about 5 µs, so this bounds a phrase at about 10 ms.
PHRASE_CHECKS = 2000
# Most terms that begin with a run whose documents are taken as holding it (「行政处罚法」 for
# 「行政处罚」): found in the term table without reading any text.
PREFIX_TERMS = 64
# Candidates of a run few enough to check in their text at once (about 5 µs each), rather
# than reading the postings of its other pairs (a common pair at 20,000 documents is 10,000
# postings or more, a few milliseconds; a fragment's rarest two pairs usually meet in a few).
CHECK_FEW = 256
# A bare query part whose rarest pair is in more documents than this gets no run bonus: every
# document would need its pairs read for a bonus that would tell few of them apart.
RANK_DF = 5000
# Most candidates checked in their text to rank a bare query part (Searcher._ranked_holders).
RANK_CHECKS = 1000

Postings = tuple[np.ndarray, np.ndarray]
_NONE = np.zeros(0, np.int32)


def and_masks(masks: list[np.ndarray], n: int) -> np.ndarray:
    out = np.ones(n, dtype=bool)
    for m in masks:
        out &= m
    return out


class RunLookups:
    """The run look-ups of a Searcher."""

    n: int
    live: np.ndarray
    date_of: np.ndarray
    spec: Spec
    _reader: Any
    _leaves: list[tuple[Any, int]]
    _lock: Any
    _titles: Titles
    _gram_fields: list[str]
    _cached: Callable[[Any, Callable[[], Postings]], Postings]
    _mask: Callable[[np.ndarray], np.ndarray]
    han_of: Callable[[int], bytes]

    def gram_docs(self, gram: str) -> np.ndarray:
        """Live documents holding a string of one or two Han characters, from the companion
        terms alone (analysis.analyse_with_grams)."""
        def load() -> Postings:
            found = np.zeros(self.n, dtype=bool)
            for name in self._gram_fields:
                found[read_postings(self._leaves, name, gram)[0]] = True
            return np.flatnonzero(found & self.live).astype(np.int32), _NONE
        return self._cached(("g", gram), load)[0]

    def _gram_df(self, gram: str) -> int:
        """An upper bound of len(gram_docs(gram)), from the term tables alone (no postings read)."""
        with self._lock:
            return sum(doc_frequency(self._leaves, name, gram) for name in self._gram_fields)

    def run_docs(self, run: str, exact: bool = True) -> Postings:
        """(documents holding `run`, candidates not checked) for a run of Han characters.

        One or two characters are answered by terms.  A longer run may be held by the
        documents that have every adjacent pair of it (word boundaries do not matter to
        pairs), intersected rarest pair first: once they are few (CHECK_FEW) they are
        checked in their Han text and the other pairs are not read.  Otherwise, for an
        exact answer (a quoted phrase), documents with a term beginning with the run hold it
        (「行政处罚」, 「行政处罚法」) and the others are checked, newest first, at most
        PHRASE_CHECKS of them; those left are returned unchecked and never taken as matches.
        For ranking a bare query part (`exact=False`) see `_ranked_holders`.
        """
        def load() -> Postings:
            if len(run) <= 2:
                return self.gram_docs(run), _NONE
            dfs = {p: self._gram_df(p) for p in dict.fromkeys(bigrams(run))}
            pairs = sorted(dfs, key=dfs.__getitem__)
            if not exact and dfs[pairs[0]] > RANK_DF:
                return _NONE, _NONE
            candidates = self.gram_docs(pairs[0])
            for pair in pairs[1:]:
                if candidates.size <= CHECK_FEW:
                    return self._checked(candidates, run), _NONE
                candidates = candidates[np.isin(candidates, self.gram_docs(pair), assume_unique=True)]
            if candidates.size <= CHECK_FEW:
                return self._checked(candidates, run), _NONE
            if not exact:
                return self._ranked_holders(candidates, run), _NONE
            sure = self._mask(self._prefixed_docs(run))
            rest = candidates[~sure[candidates]]
            rest = rest[np.argsort(-self.date_of[rest], kind="stable")]  # the newest are checked first
            sure[self._checked(rest[:PHRASE_CHECKS], run)] = True
            return np.flatnonzero(sure).astype(np.int32), rest[PHRASE_CHECKS:]
        return self._cached(("run", run, exact), load)

    def _ranked_holders(self, candidates: np.ndarray, run: str) -> np.ndarray:
        """The candidates taken as holding a run of a bare query part, for its bonus: those whose
        title holds it, and the others checked in their text, or every candidate when there are
        more than RANK_CHECKS to check.  Either all are checked or none, so that no document
        loses the bonus for being old (checking newest first cost older laws their rank among
        newer copies at 20,000 documents)."""
        titled = self._titles.containing(run, self.live)[candidates]
        rest = candidates[~titled]
        if rest.size > RANK_CHECKS:
            return candidates
        return np.union1d(candidates[titled], self._checked(rest, run)).astype(np.int32)

    def _checked(self, docs: np.ndarray, run: str) -> np.ndarray:
        """Those of `docs` whose Han text holds `run`."""
        return np.array([d for d in docs.tolist() if self._holds(d, run)], dtype=np.int32)

    def _prefixed_docs(self, run: str) -> np.ndarray:
        """Live documents with a term that begins with `run` (the run itself included), in any text field."""
        found = np.zeros(self.n, dtype=bool)
        prefix = run.encode("utf-8")
        for name, _boost in text_fields(self.spec):
            with self._lock:
                terms = [t for t, _ in zip(self._reader.expand_prefix(f"t_{name}", prefix), range(PREFIX_TERMS))]
                for term in terms:
                    found[read_postings(self._leaves, f"t_{name}", term.decode("utf-8"))[0]] = True
        return np.flatnonzero(found & self.live)

    def _holds(self, docnum: int, run: str) -> bool:
        """Whether the document's text fields hold `run` (Han characters, normalised): looked for
        in its column of Han text (index.HAN), UTF-16, at an even offset."""
        data = self.han_of(docnum)
        pattern = run.encode("utf-16-le")
        at = data.find(pattern)
        while at != -1 and at % 2:
            at = data.find(pattern, at + 1)
        return at != -1
