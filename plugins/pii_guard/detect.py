"""Find personal identifiers in text: citizen ID numbers, mobile numbers, bank card numbers.

行政处罚法 第五十条 and 市场监督管理行政处罚信息公示规定 第六条 forbid publishing
natural persons' personal data (domain.md §6); 依申请公开 applicants' data
never reaches the site (domain.md §3).  Patterns are strict enough that 文号,
索引号, amounts and dates do not match: an ID number needs a valid date and
check digit (GB 11643-1999), a card number a valid Luhn sum and a nearby
word that says it is a card or account.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID18 = re.compile(r"(?<![0-9A-Za-z])([1-8]\d{5})((?:18|19|20)\d{2})(\d{2})(\d{2})(\d{3})([\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])([1-8]\d{5})(\d{2})(\d{2})(\d{2})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d])(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])")
_CARD = re.compile(r"(?<![\d])(\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4,7})(?![\d])")
CARD_CONTEXT = ("银行卡", "卡号", "账号", "帐号", "账户", "帐户", "开户", "银行", "借记卡", "信用卡")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class Hit:
    kind: str        # 身份证号 / 手机号 / 银行卡号
    value: str       # the raw match (never printed; see masked)
    start: int

    @property
    def masked(self) -> str:
        digits = self.value
        return digits[:3] + "*" * max(len(digits) - 5, 1) + digits[-2:]


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# Every identifier above is, apart from a "+86"/"0086" prefix and a final X, a run of at least
# 11 digits with at most one space or hyphen between two digits; a text without such a run
# has none.  find() runs the detectors only on windows around these runs: scanning a
# whole page with the four detectors cost 4 ms, with this one pattern 0.7 ms.
_CANDIDATE = re.compile(r"\d(?:[- ]?\d){10,}")
# Around a run, the detectors look at most 20 characters back (CARD_CONTEXT), one character
# before and after a match (look-behind, look-ahead), and a match reaches at most one
# character past either end of its run ("+", "X"): a window of the run plus this margin
# gives every detector exactly the text it would see in the whole.
_MARGIN = 24


def _windows(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text):
        start, end = max(0, m.start() - _MARGIN), min(len(text), m.end() + _MARGIN)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def find(text: str, allowed_phones: frozenset[str] = frozenset()) -> list[Hit]:
    """Every personal identifier in `text` (official phone numbers excepted)."""
    hits: list[Hit] = []
    for start, end in _windows(text):
        hits += [Hit(h.kind, h.value, h.start + start) for h in find_in_whole(text[start:end], allowed_phones)]
    return hits


def find_in_whole(text: str, allowed_phones: frozenset[str] = frozenset()) -> list[Hit]:
    """find(), by running every detector over the whole text (the reference find() must equal)."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for m in _ID18.finditer(text):
        if _valid_date(int(m[2]), int(m[3]), int(m[4])) and id_check_digit(m[0][:17]) == m[0][17].upper():
            hits.append(Hit("身份证号", m[0], m.start()))
            taken.append(m.span())
    for m in _ID15.finditer(text):
        if _valid_date(1900 + int(m[2]), int(m[3]), int(m[4])):
            hits.append(Hit("身份证号（15位）", m[0], m.start()))
            taken.append(m.span())
    for m in _MOBILE.finditer(text):
        number = m[1] + m[2] + m[3]
        if number not in allowed_phones:
            hits.append(Hit("手机号", number, m.start()))
            taken.append(m.span())
    for m in _CARD.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        digits = _digits(m[1])
        window = text[max(0, m.start() - 20):m.start()]
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and any(w in window for w in CARD_CONTEXT):
            hits.append(Hit("银行卡号", digits, m.start()))
    return sorted(hits, key=lambda h: h.start)


def normalise_phones(phones: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Official numbers as bare digits (any separators and the 0086/+86 prefix removed)."""
    out = set()
    for p in phones:
        d = _digits(p)
        for prefix in ("0086", "86"):
            if d.startswith(prefix) and len(d) - len(prefix) == 11:
                d = d[len(prefix):]
        out.add(d)
    return frozenset(out)
