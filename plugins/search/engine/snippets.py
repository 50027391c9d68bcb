"""Snippets and highlighting: cut from the stored plain text by plain substring search.

Nothing is segmented again at query time: the query's words are looked for as
they are, and marked with <mark> in the escaped text.
"""
from __future__ import annotations

import functools
import html
import re

from .analysis import normalise

SNIPPET_CHARS = 120
_SNIPPET_LEAD = 24


@functools.lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    # One query marks its words in every hit's title and snippet: built once, not per text.
    # Words are folded like the text they are looked for in (mark folds it too).
    kept = [normalise(w) for w in words if w.strip()]
    if not kept:
        return None
    # Longest first so a phrase is marked whole rather than as its parts.
    return re.compile("|".join(re.escape(w) for w in sorted(set(kept), key=len, reverse=True)), re.I)


def mark(text: str, words: list[str]) -> str:
    """`text` HTML-escaped, with the query's words wrapped in <mark>.

    Matched on the folded text, marked on the text as written: 「非法集资」 typed marks
    「非法集資」 in a traditional text and 「ab-123」 marks 「ＡＢ－１２３」, as search found them.
    (A text whose folded form has another length, which a few lower-case mappings give, is
    matched as written.)"""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return html.escape(text)
    folded = normalise(text)
    hay = folded if len(folded) == len(text) else text
    out: list[str] = []
    last = 0
    for m in pattern.finditer(hay):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(text[m.start():m.end()])}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _lead(text: str, always: bool) -> str:
    """The start of `text`, escaped, when no query word is in it and a snippet is wanted anyway."""
    if not always or not text:
        return ""
    return html.escape(text[:SNIPPET_CHARS]) + ("…" if len(text) > SNIPPET_CHARS else "")


def _best_start(low: str, wanted: list[str], firsts: list[int]) -> int:
    """The first occurrence whose passage holds the most distinct words (the earliest of equals)."""
    def distinct(at: int) -> int:
        window = low[max(0, at - _SNIPPET_LEAD):at - _SNIPPET_LEAD + SNIPPET_CHARS]
        return sum(1 for w in wanted if w in window)

    return max(firsts, key=lambda at: (distinct(at), -at))


def snippet_html(text: str, words: list[str], always: bool = False, plain: bool = False) -> str:
    """The passage of `text` with the most distinct query words, escaped and marked; '' if none.

    Candidate passages start at each word's first occurrence (str.find, C
    speed): scanning every occurrence of common words in long bodies cost
    more than the rest of a query.  `plain`: the text is known to be its own folded form
    (the index records it for every body), so it is never folded here.
    """
    wanted = [normalise(w) for w in dict.fromkeys(words) if w.strip()]
    # Looked for in the text as it is first: folding a whole law to find words it already
    # holds as typed was most of a snippet's time (a 92,000-character body: 0.8 ms).  Only
    # when a word is not there is the text folded (full-width, case, traditional script).
    low = text
    found = [low.find(w) for w in wanted]
    if not plain and any(p < 0 for p in found):
        folded = normalise(text)
        if len(folded) == len(text):  # a character whose lower case is longer: positions would drift
            low = folded
            found = [low.find(w) for w in wanted]
    firsts = sorted(p for p in found if p >= 0)
    if not firsts:
        return _lead(text, always)
    best = _best_start(low, wanted, firsts)
    start = max(0, best - _SNIPPET_LEAD)
    # Start after a line break near the match when there is one: passages read better whole.
    newline = text.rfind("\n", start, best)
    if newline != -1:
        start = newline + 1
    end = min(len(text), start + SNIPPET_CHARS)
    passage = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + mark(passage, words) + ("…" if end < len(text) else "")
