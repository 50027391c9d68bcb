"""Text as it is compared: one normalisation for everything that matches typed text against documents.

The search index and the queries run against it both pass text through `fold`, so a
query matches a document whatever width, case or script either was written in:

* full-width letters and digits (Ａ１) become ASCII, and other compatibility forms
  (①, ㈠, ㎡, compatibility ideographs) their NFKC form;
* upper case becomes lower case;
* traditional characters become simplified (OpenCC ``t2s``, phrase by phrase), so
  「個人信息」 finds 「个人信息」.

Punctuation is not mapped here: everything that matches text drops it (terms are words
and runs of Han characters), so Chinese and ASCII punctuation and brackets compare
equal by both being ignored; identifiers keep theirs and are compared after
`foundation.validate.normalise_doc_no` (〔〕 for every bracket of a 文号).

Cost, measured on the 1,512 laws of ../shared/corpus/laws (8.4 million characters):
NFKC of every text took a third of indexing time and OpenCC over every text 2.8 s, as
long as the whole index build.  So each step runs only on texts that need it, found by
one regular-expression scan at C speed: simplified Chinese with ordinary punctuation
needs only `lower()`.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

# Full-width letters and digits, and the full-width forms of the marks the segmenter keeps inside
# a token (+ # & . _ % -, as in 「AB-123」, 「3.5%」): the part of NFKC nearly every Chinese text
# needs.  Other full-width punctuation (，：（）) is left alone: it is in every text, a separator
# either way, and dropped by every match (translating it took 0.45 s on the laws corpus).
_FULLWIDTH_RANGES = ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B), (0xFF03, 0xFF04), (0xFF05, 0xFF07),
                     (0xFF0B, 0xFF0C), (0xFF0D, 0xFF0F), (0xFF3F, 0xFF40))
_FOLD = {c: c - 0xFEE0 for r in _FULLWIDTH_RANGES for c in range(*r)}
FULLWIDTH = re.compile("[" + "".join(chr(c) for c in sorted(_FOLD)) + "]")
# Characters NFKC changes that Chinese text does contain: circled and parenthesised numbers,
# units, compatibility ideographs, ligatures, superscripts, Roman numerals.  Spaces of every width
# (the ideographic space indents most paragraphs) are not among them: every match drops them.
_COMPAT = re.compile(r"[\u00aa\u00b2\u00b3\u00b9\u00ba\u00bc-\u00be\u2070-\u209f\u2150-\u218f"
                     r"\u2460-\u24ff\u2776-\u2793\u3200-\u33ff\uf900-\ufaff\ufb00-\ufb06\ufe30-\ufe4f"
                     r"\uff61-\uffef]")



@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional() -> re.Pattern[str]:
    """Any character that OpenCC writes differently in simplified Chinese (about 3,800 of the
    CJK blocks): only a text with one of them is converted, in context, by OpenCC itself."""
    cc = _converter()
    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000)) for c in range(*r) if cc.convert(chr(c)) != chr(c)]
    return re.compile("[" + "".join(chars) + "]")


@functools.lru_cache(maxsize=1)
def traditional_map() -> dict[str, str]:
    """Each character OpenCC writes differently in simplified Chinese, and how it writes it
    alone: the static search (plugins/search/engine/static.py) folds a query with this in
    the browser.  OpenCC converts phrase by phrase; a character alone is what a query of
    a few characters gets (a character with more than one simplified form in context,
    such as 乾, takes its form alone)."""
    cc = _converter()
    out = {}
    for c in _traditional().pattern[1:-1]:
        simple = cc.convert(c)
        if len(simple) == 1:
            out[c] = simple
    return out


def _nfkc(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def fold(text: str) -> str:
    """`text` as it is compared: NFKC compatibility forms, lower case, simplified characters.

    Only the compatibility characters themselves are normalised, not the whole text around
    them: one 「①」 in a law made NFKC run over all of its 100,000 characters, 4 ms, and
    snippets fold the body of every result shown (half the time of the slowest queries)."""
    if FULLWIDTH.search(text):
        text = text.translate(_FOLD)
    if _COMPAT.search(text):
        text = _COMPAT.sub(_nfkc, text)
    text = text.lower()
    if _traditional().search(text):
        text = _converter().convert(text)
    return text


__all__ = ["FULLWIDTH", "fold", "traditional_map"]
