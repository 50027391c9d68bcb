"""A query as typed, parsed into bare parts and phrases, and the results a search returns."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import core
from .snippets import mark

MAX_QUERY_CHARS = 100

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')


class QueryError(ValueError):
    """The query cannot be run as asked (too long); the message is for the user."""


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
    words: tuple[str, ...]         # the query's words, that title_html marks
    column: str
    column_name: str
    date: str
    index_no: str
    doc_no: str
    snippet_html: str
    score: float
    validity: str = ""             # 失效 / 废止, shown beside the title; "" when in force

    @property
    def title_html(self) -> str:
        """The title escaped, the query's words in <mark>: made when asked for (the search page
        shows it; /search.json, most of the service's answers, does not)."""
        return mark(self.title, list(self.words))


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
