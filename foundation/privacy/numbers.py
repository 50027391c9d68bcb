"""Numbers as a reader sees them: digit groups joined by spaces, dashes, dots or slashes.

A citizen ID may be written 120104 19850101 0034, a mobile 138-0013-8000 or
1390 0139 000, a card 6222 0212 3456 7890 128: any grouping, any of those
separators, invisible characters anywhere.  Neighbouring numbers that are not one
number must not be glued into one, so a number ends at

- a line break, a tab, any character that is not a digit, a separator or invisible;
- anything between two groups but one space, or one hyphen, dot or slash with at most one
  space either side (「138 - 0013」 is one number; two spaces align the columns of a table);
- a decimal number: two groups joined by a dot that no other dot continues (「1234.56 789.00」
  are two amounts, never 123456789 00; 234.677419354838 is a coordinate);
- a word of digits and hexadecimal letters only (a digest such as 3fa9138001380001ab).

Within a number (a *run*), identifiers are looked for in every sequence of whole
groups, so that 「2024 13800138000」 still shows the mobile; a sequence may not cut a
date (2024-1-31) or a 索引号 (000014349/2020-00072) in two, so lists of dates and
index numbers do not make identifiers out of their parts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalise import INVISIBLE

HEX_REACH = 24
MAX_GROUPS = 64       # a run longer than this is a table of numbers, split into pieces this long
_GROUP = re.compile(r"\d+")
_JOIN = re.compile(r"(?: ?[\-./] ?)?| ?")
_HEX_WORD = re.compile(r"[0-9A-Fa-f]*")
# Regions an identifier may not cut: dates with one separator, 索引号 (code/year-serial).
_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?!\d)")
_INDEX_NO = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{8,18}/(?:19|20)\d\d-\d{3,6}(?!\d)")
_THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_valid(code: str) -> bool:
    """Whether `code` is a 统一社会信用代码 with a valid check character (GB 32100-2015)."""
    code = code.upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


@dataclass(frozen=True)
class Group:
    digits: str
    start: int     # offset in the folded text
    end: int


def _in_code_word(text: str, start: int, end: int) -> bool:
    """Whether the digits at start:end are part of a code rather than a number: a word of
    digits and hex letters with at least one letter (a digest, an id in a file name), or a
    word with letters on both sides of them (a 统一社会信用代码 such as 91120116MA05…;
    a check character X right after them does not count)."""
    # Looking at most HEX_REACH characters either side keeps this the same inside a window of
    # the text (detect.py) as in the whole of it.
    a = start
    while a > max(0, start - HEX_REACH) and text[a - 1].isascii() and text[a - 1].isalnum():
        a -= 1
    b = end
    while b < min(len(text), end + HEX_REACH) and text[b].isascii() and text[b].isalnum():
        b += 1
    if a == start and b == end:  # most numbers: nothing but the digits is ASCII letters or digits
        return False
    return _is_code_word(text, a, start, end, b)


def _is_code_word(text: str, a: int, start: int, end: int, b: int) -> bool:
    """Whether text[a:b], the ASCII word around the digits at start:end, is a code (see _in_code_word)."""
    word = text[a:b]
    if _HEX_WORD.fullmatch(word) is not None and not word.isdigit():
        return True
    if uscc_valid(word) and not (word[:-1].isdigit() and word[-1] in "0123456789Xx"):
        # (Digits alone, or with a final X, may be an ID number: detect.py decides by the label.)
        return True
    after = text[end:b]
    if after[:1] in ("X", "x") and (len(after) == 1):
        after = ""
    return any(c.isalpha() for c in text[a:start]) and any(c.isalpha() for c in after)


def _joins(text: str, a: int, b: int) -> bool:
    """Whether text[a:b], between two digit groups, joins them into one number: one space, or
    one hyphen, dot or slash with at most one space either side (invisible characters aside)."""
    return _JOIN.fullmatch(text[a:b].replace(INVISIBLE, "")) is not None


def _dot(text: str, a: Group | None, b: Group | None) -> bool:
    return a is not None and b is not None and "." in text[a.end:b.start]


def _is_decimal(text: str, before: Group | None, prev: Group, group: Group, following: Group | None) -> bool:
    """Whether `group` is the fraction of a decimal number (an amount, a coordinate): a dot after
    `prev`, and no other dot joining the groups either side (138.0013.8000 is one number
    written with dots; 1234.56 and 234.6774193548 are decimals)."""
    if text[prev.end:group.start].replace(INVISIBLE, "") != ".":
        return False
    return not _dot(text, before, prev) and not _dot(text, group, following)


def _groups(text: str) -> list[Group]:
    """The digit groups of a folded text, digits with only invisible characters between them
    joined into one group, as they look."""
    groups: list[Group] = []
    for m in _GROUP.finditer(text):
        if groups and text[groups[-1].end:m.start()].strip(INVISIBLE) == "" and groups[-1].end < m.start():
            groups[-1] = Group(groups[-1].digits + m[0], groups[-1].start, m.end())
        else:
            groups.append(Group(m[0], m.start(), m.end()))
    return groups


def runs(text: str) -> list[list[Group]]:
    """The numbers of a folded text, each as its list of digit groups."""
    groups = _groups(text)
    out: list[list[Group]] = []
    current: list[Group] = []
    for i, g in enumerate(groups):
        if _in_code_word(text, g.start, g.end):
            if current:
                out.append(current)
            current = []
            continue
        if current and not _joins(text, current[-1].end, g.start):
            out.append(current)
            current = []
        before = current[-2] if len(current) > 1 else None
        if current and _is_decimal(text, before, current[-1], g, groups[i + 1] if i + 1 < len(groups) else None):
            current.pop()   # the integer part and its fraction are an amount: neither is in a number
            if current:
                out.append(current)
            current = []
            continue
        current.append(g)
        if len(current) == MAX_GROUPS:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def protected(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(dates, 索引号 and amounts with thousands separators) of a folded text: an identifier
    may contain a whole date (a birth date written 1990-03-07) but cut none, and may
    neither cut nor contain the others."""
    return [m.span() for m in _DATE.finditer(text)], [m.span() for r in (_INDEX_NO, _THOUSANDS)
                                                      for m in r.finditer(text)]


def cuts(start: int, end: int, spans: list[tuple[int, int]], inside_ok: bool = True) -> bool:
    """Whether start:end cuts one of `spans` (overlaps it without containing it)."""
    for a, b in spans:
        if a < end and start < b and not (inside_ok and start <= a and b <= end):
            return True
    return False


def sequences(run: list[Group], lengths: range | tuple[int, ...]) -> list[tuple[int, int, str]]:
    """(first group, last group, digits) of every sequence of whole groups of `run` whose
    digits have one of `lengths`."""
    longest = max(lengths)
    out = []
    for i in range(len(run)):
        digits = ""
        for j in range(i, len(run)):
            digits += run[j].digits
            if len(digits) > longest:
                break
            if len(digits) in lengths:
                out.append((i, j, digits))
    return out
