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

from foundation.validate import normalise_doc_no

SEGMENTER = "rjieba"
# Bump whenever analysis or the index layout changes: a stored index of another
# version is rebuilt in full instead of being mixed with differently analysed text.
ENGINE_VERSION = f"5/{SEGMENTER}-{getattr(rjieba, '__version__', '0.2.2')}"

# Single-character function words: in nearly every document, so they cost index
# space and query time while telling documents apart not at all.
STOPWORDS = frozenset("的 了 着 和 与 及 或 之 在 是 对 等 其 并 于 由 为 将 被 把 以 而 且 也 就 都 所".split())
# National laws and regulations carry the state's name; people leave it out when
# they search (「政府信息公开条例」), so title matching ignores it.
TITLE_OMITTED_PREFIX = "中华人民共和国"

_WORDLIKE = re.compile(r"\w")
_NON_WORD = re.compile(r"[\W_]+")
CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_SPACE = re.compile(r"\s+")
FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

# Full-width letters and digits (Ａ１) folded to ASCII: the part of NFKC that matters
# for matching Chinese text.  NFKC itself took a third of analysis time, and so does
# str.translate on every text, so only texts that have such characters are translated.
_FOLD = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}


def normalise(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case: the same on both sides of a match."""
    if FULLWIDTH.search(text):
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
        if len(word) > 2 and CJK.match(word):
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
