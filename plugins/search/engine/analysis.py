"""Text as the index sees it: normalised, segmented by rjieba, counted; HTML to plain text.

The same functions serve both sides of a match: documents are analysed with
`analyse` when they are written, queries split with `query_words` when they run.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter

import rjieba

from foundation.textnorm import fold
from foundation.validate import normalise_doc_no

SEGMENTER = "rjieba"
# Bump whenever analysis or the index layout changes: a stored index of another
# version is rebuilt in full instead of being mixed with differently analysed text.
ENGINE_VERSION = f"11/{SEGMENTER}-{getattr(rjieba, '__version__', '0.2.2')}"

# Single-character function words: in nearly every document, so they cost index
# space and query time while telling documents apart not at all.
STOPWORDS = frozenset("的 了 着 和 与 及 或 之 在 是 对 等 其 并 于 由 为 将 被 把 以 而 且 也 就 都 所".split())
# National laws and regulations carry the state's name; people leave it out when
# they search (「政府信息公开条例」), so title matching ignores it.
TITLE_OMITTED_PREFIX = "中华人民共和国"

_WORDLIKE = re.compile(r"\w")
_NON_WORD = re.compile(r"[\W_]+")
CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
# Runs of Han characters: what a phrase or a pasted fragment is matched against.
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as both sides of a match see it (foundation.textnorm.fold: width, case, script)."""
    return fold(text)


def core(text: str) -> str:
    """Normalised text with punctuation and spaces removed, for substring matching."""
    return _NON_WORD.sub("", normalise(text))


def title_core(title: str) -> str:
    c = core(title)
    return c[len(TITLE_OMITTED_PREFIX):] if c.startswith(TITLE_OMITTED_PREFIX) and \
        len(c) > len(TITLE_OMITTED_PREFIX) else c


def normalise_id(value: str) -> str:
    """An identifier (文号, 索引号, 信用代码) as stored and as looked up: 〔〕 brackets, no spaces."""
    return normalise_doc_no(_SPACE.sub("", fold(unicodedata.normalize("NFKC", value)))).upper()


def _keep(word: str) -> bool:
    return word not in STOPWORDS and bool(_WORDLIKE.search(word)) and not word.isspace()


def bigrams(word: str) -> list[str]:
    return [word[i:i + 2] for i in range(len(word) - 1)]


def _counts(words: list[str]) -> Counter[str]:
    counts = Counter(words)
    for word in [w for w in counts if not _keep(w)]:
        del counts[word]
    return counts


def analyse(text: str) -> Counter[str]:
    """Term counts of `text`: its jieba words, without function words.

    A two-character query word that the segmenter glued to its neighbours in a
    document (「东疆」 in 「津东疆管发」) is found through the companion field, which
    holds every pair (analyse_with_grams).  The word fields held the pairs inside
    longer words too until then: dropping them took words MRR@10 on the laws corpus
    from 0.913 to 0.920 (their BM25 had favoured documents with long words containing
    the query's words) and the index from 65 to 62 MB.
    """
    return _counts(rjieba.cut(normalise(text), hmm=True))


def analyse_with_grams(text: str) -> tuple[Counter[str], set[str]]:
    """`analyse(text)`, and the companion terms that make every run of Han characters findable.

    Those are every Han character and every pair of adjacent Han characters, in one field
    (index.GRAMS), however jieba cut the text: a fragment cut mid-word (「活」 of 「活动」) still
    has every pair in its document (Searcher.run_docs).  Only the pairs across word
    boundaries were missing from the word terms (1.3 of 2.1 million document-pairs on the
    laws corpus), but looking a pair up in every text field as well as here made a query
    at 20,000 documents read some 2,400 term-table entries (p95 45 ms): one field, one look-up.
    """
    norm = normalise(text)
    counts = _counts(rjieba.cut(norm, hmm=True))
    grams = {c for c in set(norm) if CJK.match(c)}
    grams.update(p for p in {a + b for a, b in zip(norm, norm[1:])} if CJK.match(p))
    return counts, grams


def han_text(texts: list[str]) -> str:
    """The Han characters of `texts`, normalised, one run a line."""
    return "\n".join(HAN_RUN.findall(normalise("\n".join(texts))))


def han_runs(text: str) -> list[str]:
    """The runs of Han characters of a (query) text, normalised, in order, without repeats."""
    return list(dict.fromkeys(HAN_RUN.findall(normalise(text))))


def load_segmenter() -> None:
    """Load the segmenter's dictionary now (about 70 MB, loaded on first use otherwise).

    A WSGI server that loads the app before forking its workers (gunicorn --preload)
    then has one copy of it shared by all workers instead of one each.
    """
    rjieba.cut("东疆综合保税区", hmm=True)
    fold("東疆")  # and the table of traditional characters (0.1 s)


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
