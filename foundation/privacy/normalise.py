"""One normalisation for every privacy check: what a reader sees, as plain characters.

An identifier hides from a pattern in many ways that a reader never notices:
full-width digits (１３８), digits of other scripts, HTML entities (&#49; &#xFF11;),
percent-encoding in a link (%EF%BC%91), zero-width and other invisible characters
between digits, and any kind of space, dash, dot or slash between groups.  Every
check (the identifier detectors, the name check of penalty records, make check, the
guard over the output) sees text through `decode` and `fold` here, and nowhere else.

`fold` maps every character to exactly one character, so offsets in the folded text
are offsets in the decoded text: a hit is located without keeping a map.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from urllib.parse import unquote_to_bytes

INVISIBLE = "\u200b"   # what every invisible character folds to
SEPARATORS = " -./"    # what every space, dash, dot and slash folds to
# Characters that look like nothing, but are not Unicode format or mark characters.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
_DOTS = "\uff0e\u2024\u2027"  # full-width full stop, one-dot leader, hyphenation point
_SLASHES = "\uff0f\u2044\u2215\u29f8"


# Blocks of letters that fold to nothing else and hold no digit (CJK ideographs, Hangul
# syllables, Yi, private use, Tangut): skipped, so that the table is made in a fraction of
# the time.
_PLAIN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xA000, 0xA4D0), (0xAC00, 0xD7A4), (0xD800, 0xF900),
                 (0x17000, 0x18D00), (0x20000, 0xE0000))


def _code_points() -> list[int]:
    """Planes 0 and 1 hold every digit and letter form that folds to ASCII; plane 14 holds
    the tag characters and variation selectors, which are invisible."""
    points: list[int] = []
    start = 0x80
    for a, b in _PLAIN_BLOCKS:
        points += range(start, a)
        start = b
    return points + list(range(0xE0000, 0xE01F0))


@functools.cache
def fold_table() -> dict[int, str]:
    """The character fold: digits of every script and full-width letters to ASCII, spaces,
    dashes, dots and slashes to one each, invisible characters to INVISIBLE."""
    table: dict[int, str] = {}
    for cp in _code_points():
        c = chr(cp)
        category = unicodedata.category(c)
        if category == "Cs":
            continue
        if category == "Nd":
            table[cp] = str(unicodedata.digit(c))
        elif category in ("Cf", "Mn", "Me") or c in _BLANK_LETTERS:
            table[cp] = INVISIBLE
        elif category == "Zs":
            table[cp] = " "
        elif category == "Pd" or c in "\u2212\ufe63\uff0d":
            table[cp] = "-"
        elif c in _DOTS:
            table[cp] = "."
        elif c in _SLASHES:
            table[cp] = "/"
        elif unicodedata.decomposition(c):
            folded = unicodedata.normalize("NFKC", c)
            # ¹ ① Ａ ＋ （ …: one printable ASCII character; ⑽ → "(10)" would change offsets.
            if len(folded) == 1 and folded.isascii() and folded.isprintable():
                table[cp] = folded
    return table


def fold(text: str) -> str:
    """Every character as the one plain character a reader takes it for (same length)."""
    return text.translate(fold_table())


@functools.cache
def digit_class() -> str:
    """A regex character class of every character that folds to an ASCII digit: \\d (every
    decimal digit: the engine tests it fast) and the others (¹, ①, …)."""
    others = "".join(chr(cp) for cp, c in fold_table().items() if c.isdigit() and not chr(cp).isdecimal())
    return _char_class(others, r"\d")


@functools.cache
def invisible_class() -> str:
    """A regex character class of every character that folds to INVISIBLE."""
    return _char_class(INVISIBLE + "".join(chr(cp) for cp, c in fold_table().items() if c == INVISIBLE))


@functools.cache
def joiner_class() -> str:
    """A regex character class of the characters that can stand between the digits of one
    number: what folds to a separator, and the invisible characters (format characters,
    variation selectors, fillers).  Combining marks, which fold to INVISIBLE too, are left
    out: they show (1́3́8́), and a class of all two thousand makes the search three times slower."""
    def joins(cp: int, c: str) -> bool:
        if c in SEPARATORS:
            return True
        return c == INVISIBLE and (unicodedata.category(chr(cp)) == "Cf" or 0xFE00 <= cp <= 0xFE0F
                                   or 0xE0100 <= cp <= 0xE01EF or chr(cp) in "\u034f" + _BLANK_LETTERS)
    return _char_class(SEPARATORS + INVISIBLE + "".join(chr(cp) for cp, c in fold_table().items() if joins(cp, c)))


def _char_class(chars: str, extra: str = "") -> str:
    points = sorted({ord(c) for c in chars})
    ranges: list[tuple[int, int]] = []
    for p in points:
        if ranges and p == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], p)
        else:
            ranges.append((p, p))
    esc = lambda p: re.escape(chr(p))  # noqa: E731
    return "[" + extra + "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges) + "]"


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2}))")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,7};?|[A-Za-z][A-Za-z0-9]{1,31};)")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _unpercent(m: re.Match[str]) -> str:
    try:
        return unquote_to_bytes(m[0]).decode("utf-8")
    except UnicodeDecodeError:
        return m[0]


def _unescape(m: re.Match[str]) -> str:
    code = int(m[1] or m[2] or m[3], 16)
    return chr(code) if code < 0x110000 and code not in (0x0A, 0x0D) else m[0]


def decode(text: str) -> str:
    """Escapes, HTML entities and percent-encoded UTF-8 decoded, as a reader is shown them.

    Applied to every text: a JSON file or a YAML string escapes characters (\\uFF11), a
    Markdown body renders its entities, a link shows its percent-encoded name.  A text
    without a backslash, `&` or `%` is returned as it is; line breaks are never added."""
    if "\\" in text:
        text = _ESCAPE.sub(_unescape, text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m[0]), text)
    if "%" in text:
        text = _PERCENT.sub(_unpercent, text)
    return text


_WHITESPACE = re.compile(r"[\s" + INVISIBLE + "]+")


def compact(text: str) -> str:
    """Decoded and folded, with every space and invisible character removed (for names:
    「张　三」 and 「张 三」 are 张三)."""
    return _WHITESPACE.sub("", fold(decode(text)))


def compact_with_offsets(text: str) -> tuple[str, list[int]]:
    """compact(text) of an already decoded text, and for each of its characters the
    offset of that character in `text` (to find the line a name was written on)."""
    folded = fold(text)
    keep = [i for i, c in enumerate(folded) if not (c.isspace() or c == INVISIBLE)]
    return "".join(folded[i] for i in keep), keep
