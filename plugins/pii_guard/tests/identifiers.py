"""Hypothesis strategies for the guard's tests: valid identifiers, the ways they are disguised,
and the official numbers that must never be flagged."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from foundation.privacy.detect import (CARD, ID, ID15, MOBILE, PASSPORT, PERMANENT, PERMIT, RESIDENCE,
                                      id_check_digit, luhn_valid)

PROVINCE_CODES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
                  52, 53, 54, 61, 62, 63, 64, 65)
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\u2061", "\ufe0f")
SEPARATORS = (" ", "-", " - ", "\u2010", "\u2013", "\u2014", "\uff0d", ".", "/", "\uff0f", "\u00a0", "\u3000",
              "\u2009", " / ")
_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_W = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def luhn_complete(prefix: str) -> str:
    """`prefix` with the digit that makes its Luhn sum valid."""
    for d in "0123456789":
        if luhn_valid(prefix + d):
            return prefix + d
    raise AssertionError(prefix)


@st.composite
def id18(draw: st.DrawFn, residence: bool = False) -> str:
    province = draw(st.sampled_from((81, 82, 83))) if residence else draw(st.sampled_from(PROVINCE_CODES))
    region = "0000" if residence else f"{draw(st.integers(100, 9999)):04d}"
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)))
    first17 = f"{province}{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + id_check_digit(first17)


@st.composite
def id15(draw: st.DrawFn) -> str:
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(1999, 12, 31)))
    return f"{draw(st.sampled_from(PROVINCE_CODES))}{draw(st.integers(1000, 9999))}{born:%y%m%d}" \
           f"{draw(st.integers(0, 999)):03d}"


def mobile() -> st.SearchStrategy[str]:
    return st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"),
                     st.integers(0, 10**9 - 1))


@st.composite
def card(draw: st.DrawFn) -> str:
    length = draw(st.integers(16, 19))
    body = "62" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=length - 3, max_size=length - 3)))
    return luhn_complete(body)


# (kind, how the number is written around it, the identifier strategy, digits only).
KINDS = {
    ID: (("身份证号码：", "ID", "当事人", ""), id18(), True),
    RESIDENCE: (("港澳台居民居住证号码", ""), id18(residence=True), True),
    ID15: (("老身份证号", ""), id15(), True),
    MOBILE: (("联系电话：", "手机", "Tel", "+86 ", "0086-", "(+86)", "（86）", ""), mobile(), True),
    CARD: (("开户银行：工商银行，银行卡号：", "账号", "卡号 ", "收款账户：", ""), card(), True),
    PASSPORT: (("护照号码：", "护照号 ", "持护照（号码 "), st.builds(lambda n: f"E{n:08d}", st.integers(0, 10**8 - 1)),
               False),
    PERMIT: (("往来港澳通行证号码：", "港澳通行证 ", "回乡证：", "台胞证号码："), st.just(""), False),
}


@st.composite
def permit(draw: st.DrawFn, label: str) -> str:
    n = draw(st.integers(0, 10**8 - 1))
    if "港澳通行证" in label:
        return f"C{n:08d}"
    if "回乡" in label:
        return f"H{n:08d}"
    return f"{n:08d}"


@st.composite
def grouped(draw: st.DrawFn, value: str, separators: tuple[str, ...] = SEPARATORS) -> str:
    """`value` cut into groups at random places between digits, each joined by a random separator;
    never one dot alone (1.3, 12.50 and 1380013.8000 read as decimal numbers, numbers.py)."""
    positions = [i for i in range(1, len(value)) if value[i - 1].isdigit() and value[i].isdigit()]
    cuts = sorted(draw(st.sets(st.sampled_from(positions), max_size=len(positions)))) if positions else []
    bounds = [0, *cuts, len(value)]
    groups = [value[a:b] for a, b in zip(bounds, bounds[1:])]
    seps = [draw(st.sampled_from(separators)) for _ in cuts]
    # A single dot makes a decimal number (numbers.py): dots come in chains of two or more.
    lonely = True
    while lonely:
        lonely = [i for i, sep in enumerate(seps)
                  if "." in sep and not any("." in x for x in seps[max(0, i - 1):i] + seps[i + 1:i + 2])]
        for i in lonely:
            seps[i] = " "
    return "".join(g + s for g, s in zip(groups, [*seps, ""]))


def full_width(text: str, which: list[bool]) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() and w else c
                   for c, w in zip(text, which + [True] * len(text)))


@st.composite
def invisible(draw: st.DrawFn, text: str) -> str:
    out = []
    for c in text:
        out.append(c)
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(INVISIBLES)))
    return "".join(out)


@st.composite
def entities(draw: st.DrawFn, text: str) -> str:
    out = []
    for c in text:
        style = draw(st.integers(0, 2))
        out.append(c if style == 0 else f"&#{ord(c)};" if style == 1 else f"&#x{ord(c):X};")
    return "".join(out)


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str, str]:
    """(kind, the identifier as plain characters, a text that holds it in some disguise)."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    labels, values, _digits = KINDS[kind]
    label = draw(st.sampled_from(labels))
    value = draw(permit(label)) if kind == PERMIT else draw(values)
    seps = (" ", "-") if kind in (PASSPORT, PERMIT) else SEPARATORS
    written = draw(grouped(value, seps)) if draw(st.booleans()) else value
    if draw(st.booleans()):
        written = full_width(written, draw(st.lists(st.booleans(), max_size=len(written))))
    if draw(st.booleans()):
        written = draw(invisible(written))
    text = f"{draw(st.sampled_from(('', '经查，', '当事人信息：')))}{label}{written}" \
           f"{draw(st.sampled_from(('', '。', '，特此公告。', '）')))}"
    if draw(st.booleans()):
        text = draw(entities(text))
    return kind, value, text


@st.composite
def uscc(draw: st.DrawFn, digits_only: bool = False) -> str:
    chars = "0123456789" if digits_only else _CHARS
    head = draw(st.sampled_from("19" if digits_only else "159ANY")) + draw(st.sampled_from("1239"))
    region = f"{draw(st.sampled_from(PROVINCE_CODES))}{draw(st.integers(0, 9999)):04d}"
    rest = "".join(draw(st.lists(st.sampled_from(chars), min_size=9, max_size=9)))
    code = head + region + rest
    total = sum(_CHARS.index(c) * w for c, w in zip(code, _USCC_W))
    check = _CHARS[(31 - total % 31) % 31]
    return code + check


def isbn13() -> st.SearchStrategy[str]:
    def make(group: int, body: int) -> str:
        digits = f"978{group}{body:08d}"
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
        return f"ISBN 978-{group}-{str(body)[:3]}-{str(body)[3:]}-{check}"
    return st.builds(make, st.sampled_from((7, 1, 0)), st.integers(10**7, 10**8 - 1))


def dates_list() -> st.SearchStrategy[str]:
    one = st.builds(lambda d, sep, pad: (f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}" if pad
                                         else f"{d.year}{sep}{d.month}{sep}{d.day}"),
                    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.sampled_from("-./"), st.booleans())
    return st.builds(lambda ds, joiner: joiner.join(ds), st.lists(one, min_size=2, max_size=12),
                     st.sampled_from((" ", "、", "，", "至", "\n", "  ", "；")))


def amounts_table() -> st.SearchStrategy[str]:
    amount = st.builds(lambda x, commas: f"{x:,.2f}" if commas else f"{x:.2f}", st.floats(0, 10**8, allow_nan=False),
                       st.booleans())
    integer = st.builds(lambda x: f"{x:,}", st.integers(0, 10**9))
    # Cells of decimal amounts are apart at one space; whole numbers (3 persons, 100 万元) are
    # apart as tables keep them: a tab (PDF column gaps, numbers.py), two spaces, a line.
    decimals = st.builds(" ".join, st.lists(amount, min_size=1, max_size=8))
    integers = st.builds(lambda cells, sep: sep.join(cells), st.lists(amount | integer, min_size=1, max_size=8),
                         st.sampled_from(("  ", "\t", "\n", " | ")))
    row = st.builds(lambda code, cells: f"{code} 项目 {cells}", st.integers(200, 2299999), decimals | integers)
    return st.builds("\n".join, st.lists(row, min_size=1, max_size=10))


def official() -> st.SearchStrategy[str]:
    """Numbers a disclosure site publishes by law or by nature: never personal."""
    index_no = st.builds(lambda org, year, serial: f"索引号：{org}/{year}-{serial:05d}",
                         st.one_of(st.integers(10**8, 10**9 - 1).map(str), uscc()), st.integers(2000, 2030),
                         st.integers(0, 99999))
    doc_no = st.builds(lambda y, n: f"津东疆管发〔{y}〕{n}号", st.integers(2000, 2030), st.integers(1, 999))
    org_code = st.builds(lambda n: f"组织机构代码 {n:08d}-{n % 10}", st.integers(0, 10**8 - 1))
    labelled_uscc = st.builds(lambda c: f"统一社会信用代码：{c}", uscc() | uscc(digits_only=True))
    plain_uscc = uscc()
    postcode = st.builds(lambda n: f"邮政编码 {n:06d}", st.integers(100000, 999999))
    article = st.builds(lambda n, m: f"第{n}条第{m}款", st.integers(1, 500), st.integers(1, 9))
    landline = st.builds(lambda area, n: f"电话 {area}-{n}", st.sampled_from(("022", "010", "0755")),
                         st.integers(10**7, 10**8 - 1))
    return st.one_of(index_no, doc_no, org_code, labelled_uscc, plain_uscc, postcode, article, landline, isbn13(),
                     dates_list(), amounts_table())


__all__ = ["CARD", "ID", "ID15", "KINDS", "MOBILE", "PASSPORT", "PERMANENT", "PERMIT", "RESIDENCE", "disguised",
           "official"]
