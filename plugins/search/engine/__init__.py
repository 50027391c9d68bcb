"""Whoosh and the Chinese segmenter behind one small interface: analyse, write, search.

Nothing else in xxgk imports `whoosh` or `rjieba` (but plugins.search.segments, the
faster writer of Whoosh's own segment files this package uses).  Whoosh keeps the index on
disk (segments, term dictionary, postings, deletions, stored bodies, merges);
this package does the analysis and evaluates queries itself:

* `analysis`: text normalised and segmented, once per document, and handed to Whoosh as
  ready term counts (`index`), so no analyser chain, no English stemmer and no
  per-token Python objects run at index time.
* `searcher`: queries (`query`) evaluated over postings read block-wise into numpy arrays
  (`arrays`) and cached per index generation.  Whoosh's own matchers and BM25F scorer step
  through postings one document at a time in Python: on the same index and
  queries they measured p95 83 ms at 1,500 documents and 386 ms at 20,000,
  against 7 and 15 ms here (docs/search.md).  Each segment's common terms are kept a
  second time as bitmaps (`dense`), read in microseconds instead of decoded block by block.
* `runs`: runs of Han characters (pasted fragments, quoted phrases) found by their character
  pairs, whatever the segmentation, and checked in a column of each document's Han text where needed.
* `static`: the static search index, written from an index generation for the browser's
  search without a server (theme/static/js/search-engine.js).
* `snippets`: cut from the stored plain text by plain substring search for the
  query's words: nothing is segmented again at query time.

Segmenter: `rjieba` (Rust bindings of jieba, the same dictionary and model),
chosen by measurement on ../shared/corpus/laws (docs/search.md): `cut` 18-22×
the speed of `jieba`'s, with identical output on 1,509 of 1,512 documents.
"""
from __future__ import annotations

from .analysis import ENGINE_VERSION, analyse, html_to_text, load_segmenter, normalise_id, query_words
from .index import IndexDoc, Spec, create, doc_count, read_spec, text_fields, update
# The class path of the schema pickled into every index, as before the split (see index.py).
from .index import _Terms as _Terms
from .query import MAX_QUERY_CHARS, Hit, QueryError, Results, parse
from .runs import PHRASE_CHECKS
from .searcher import Searcher
from .static import MANIFEST as STATIC_MANIFEST, ExportStats, bucket_keys, export, static_current
from .snippets import mark, snippet_html

__all__ = ["ENGINE_VERSION", "ExportStats", "Hit", "bucket_keys", "IndexDoc", "STATIC_MANIFEST", "export", "static_current", "MAX_QUERY_CHARS", "PHRASE_CHECKS", "QueryError", "Results",
           "Searcher", "Spec", "analyse", "create", "doc_count", "html_to_text", "load_segmenter", "mark",
           "normalise_id", "parse", "query_words", "read_spec", "snippet_html", "text_fields", "update"]
