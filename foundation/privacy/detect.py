"""Find personal identifiers in text: ID numbers, mobile numbers, bank cards, passports and permits.

个人信息保护法 第二十八条: 身份证件号码 and 金融账户 are sensitive personal information;
行政处罚法 第五十条 and 市场监督管理行政处罚信息公示规定 第六条 forbid publishing
them for natural persons (domain.md §6, §9).  Every text is decoded and folded first
(normalise.py), and numbers are read in any grouping (numbers.py).

What is detected, and how strictly, so that 文号, 索引号, 统一社会信用代码, amounts and
dates are never flagged (a guard that stops a lawful publication fails too):

- 居民身份证 (GB 11643-1999): 18 characters with a valid province code, birth date and
  ISO 7064 MOD 11-2 check character, or the 15-digit form with a valid date; province
  codes 81/82/83 are the 港澳台居民居住证.  An 18-digit number that is also a valid
  统一社会信用代码 (GB 32100-2015) next to a label saying so is the organisation's.
- mobile numbers: 11 digits 1[3-9]…, also after +86 / 0086; the office's own
  numbers (OFFICIAL_PHONES) excepted.
- bank cards: 16–19 digits with a valid Luhn check digit, next to a word for a card or
  account (also a table column headed so: the readers put the header before each
  cell), or without one when the number begins as card numbers of the card schemes
  used in China do (UnionPay 62, Visa 4, Mastercard 51–55 and 2221–2720, JCB 35, the
  older 955x/60 of Chinese banks) and is not labelled as another kind of number.
- passports, 往来港澳/台湾通行证, 回乡证, 台胞证 and 外国人永久居留身份证: their
  numbers are recognisable only next to their label (domain.md §9).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import numbers
from .numbers import uscc_valid
from .normalise import INVISIBLE, decode, digit_class, fold, invisible_class, joiner_class

ID = "身份证号"
ID15 = "身份证号（15位）"
RESIDENCE = "港澳台居民居住证号"
MOBILE = "手机号"
CARD = "银行卡号"
PASSPORT = "护照号码"
PERMIT = "通行证号码"
PERMANENT = "永久居留身份证号码"
KINDS = (ID, ID15, RESIDENCE, MOBILE, CARD, PASSPORT, PERMIT, PERMANENT)

PROVINCES = frozenset({11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                       50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83})
CARD_CONTEXT = ("银行卡", "卡号", "账号", "帐号", "账户", "帐户", "开户", "银行", "借记卡", "信用卡", "储蓄卡",
                "收款人", "户名", "card", "account", "acct")
# Labels that say a long number is something else (the bare-card rule then does not apply).
OTHER_NUMBER = ("订单", "单号", "流水号", "编号", "编码", "代码", "税号", "识别号", "ISBN", "条码", "票号", "批号")
CREDIT_CODE_LABELS = ("信用代码", "组织机构代码", "纳税人识别号", "税号", "注册号")
_CARD_PREFIX = re.compile(r"62|4|5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720|35|95[5-9]|60")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
CONTEXT_BEFORE = 20   # how far before a number a card word counts
LABEL_BEFORE = 30     # … and a credit-code label


@dataclass(frozen=True)
class Hit:
    kind: str        # one of KINDS
    value: str       # the identifier, plain (never printed; see masked)
    start: int       # offsets in the decoded text
    end: int

    @property
    def masked(self) -> str:
        v = self.value
        return v[:3] + "*" * max(len(v) - 5, 1) + v[-2:]


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _id18_kind(value: str) -> str | None:
    if int(value[:2]) not in PROVINCES:
        return None
    born = _date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    if born is None or not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return None
    if id_check_digit(value[:17]) != value[17]:
        return None
    return RESIDENCE if value[:2] in ("81", "82", "83") else ID


def _id15_ok(value: str) -> bool:
    return int(value[:2]) in PROVINCES and _date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])) is not None


def _mobile_ok(value: str) -> bool:
    return len(value) == 11 and value[0] == "1" and value[1] in "3456789"


def _before(window: str, start: int, n: int) -> str:
    return window[max(0, start - n):start].replace(INVISIBLE, "")


def _nearest(text: str, words: tuple[str, ...]) -> int:
    """How far from the end of `text` the last of `words` ends (-1: none)."""
    best = -1
    low = text.lower()
    for w in words:
        i = low.rfind(w.lower())
        if i >= 0:
            distance = len(text) - (i + len(w))
            best = distance if best < 0 else min(best, distance)
    return best


def _card_context(window: str, start: int) -> tuple[bool, bool]:
    """(a card word is near before the number, another kind of number is named nearer)."""
    before = _before(window, start, CONTEXT_BEFORE)
    card, other = _nearest(before, CARD_CONTEXT), _nearest(before, OTHER_NUMBER)
    return card >= 0 and (other < 0 or card <= other), other >= 0 and (card < 0 or other < card)


def _check_x(window: str, end: int) -> int:
    """The end of an ID number whose 17 digits end at `end` and whose check character X
    follows (invisible characters between allowed), or -1."""
    i = end
    while i < len(window) and window[i] == INVISIBLE:
        i += 1
    if i < len(window) and window[i] in "Xx" and not (i + 1 < len(window) and window[i + 1].isascii()
                                                    and window[i + 1].isalnum()):
        return i + 1
    return -1


# (priority, kind, value, start, end): lower priority wins where two candidates overlap.
_Candidate = tuple[int, str, str, int, int]


# The lengths of the identifiers looked for: mobiles (with 86 or 0086 before them), 15- and
# 18-digit ID numbers (17 with an X after them), cards.
_LENGTHS = (11, 13, 15, 16, 17, 18, 19)


def _id_candidate(window: str, digits: str, start: int, end: int, credit_code: bool) -> _Candidate | None:
    """An 18-character ID number (17 digits and an X, or 18 digits), or None."""
    n = len(digits)
    if n == 17:
        x_end = _check_x(window, end)
        if x_end > 0 and _id18_kind(digits + "X"):
            return (0, _id18_kind(digits + "X") or ID, digits + "X", start, x_end)
    if n == 18 and _check_x(window, end) < 0:
        kind = _id18_kind(digits)
        if kind and not credit_code:
            return (0, kind, digits, start, end)
    return None


def _mobile_candidate(digits: str, start: int, end: int, allowed: frozenset[str]) -> _Candidate | None:
    """A mobile number, bare or after 86 / 0086, that is not one of the office's own, or None."""
    for prefix in ("", "86", "0086"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix) and _mobile_ok(digits[len(prefix):]):
            if digits[len(prefix):] not in allowed:
                return (3, MOBILE, digits[len(prefix):], start, end)
    return None


def _card_candidate(window: str, digits: str, start: int, end: int, credit_code: bool) -> _Candidate | None:
    """A bank card number: labelled as one, or beginning as card numbers do and labelled as nothing else."""
    if not (16 <= len(digits) <= 19 and luhn_valid(digits)):
        return None
    labelled, other = _card_context(window, start)
    if labelled:
        return (2, CARD, digits, start, end)
    if not other and _CARD_PREFIX.match(digits) and not credit_code and not _credit_code_shaped(digits):
        return (4, CARD, digits, start, end)
    return None


def _credit_code_shaped(digits: str) -> bool:
    """18 digits that are a valid 统一社会信用代码 with a real province in its region code
    (GB 32100-2015): published as they are, so unlabelled they are read as the code, not as a
    card (a Luhn-valid card number passes both checks about once in a hundred; labelled 卡号 or
    账号, it is still a card).  Never for 62…: UnionPay, the cards people in China hold, where
    a code would have to be of registration authority 6 (旅游) — the guard errs towards the card."""
    return (len(digits) == 18 and not digits.startswith("62") and uscc_valid(digits)
            and int(digits[2:4]) in PROVINCES)


def _sequence_candidates(window: str, digits: str, start: int, end: int,
                         allowed: frozenset[str]) -> list[_Candidate]:
    """What the digits at start:end of `window` may be: an ID number alone, or else any of a
    15-digit ID number, a mobile and a card."""
    # An 18-digit 统一社会信用代码 may pass the checks of an ID or a card: next to its
    # label, it is the organisation's.
    credit_code = len(digits) == 18 and uscc_valid(digits) and _nearest(_before(window, start, LABEL_BEFORE),
                                                                        CREDIT_CODE_LABELS) >= 0
    ident = _id_candidate(window, digits, start, end, credit_code)
    if ident is not None:
        return [ident]
    out: list[_Candidate] = []
    if len(digits) == 15 and _id15_ok(digits):
        out.append((1, ID15, digits, start, end))
    mobile = _mobile_candidate(digits, start, end, allowed)
    if mobile is not None:
        out.append(mobile)
    card = _card_candidate(window, digits, start, end, credit_code)
    if card is not None:
        out.append(card)
    return out


def _candidates(window: str, allowed: frozenset[str]) -> list[_Candidate]:
    dates, index_nos = numbers.protected(window)
    out: list[_Candidate] = []
    for run in numbers.runs(window):
        for i, j, digits in numbers.sequences(run, _LENGTHS):
            start, end = run[i].start, run[j].end
            if numbers.cuts(start, end, dates) or numbers.cuts(start, end, index_nos, inside_ok=False):
                continue
            out += _sequence_candidates(window, digits, start, end, allowed)
    return out


def _choose(candidates: list[_Candidate]) -> list[tuple[str, str, int, int]]:
    """Non-overlapping candidates: the one of most digits first (a card is not also the mobile
    its digits begin with), then by priority."""
    taken: list[tuple[str, str, int, int]] = []
    for _p, kind, value, start, end in sorted(candidates, key=lambda c: (-len(c[2]), c[0], c[3])):
        if not any(a < end and start < b for _k, _v, a, b in taken):
            taken.append((kind, value, start, end))
    return taken


# Documents recognisable only by their label (domain.md §9).  The number may follow the
# label after 号码/号/编号, a colon, brackets or a few words (为、是).
_LABEL = re.compile(
    r"(护照|往来港澳通行证|港澳通行证|往来台湾通行证|台湾居民来往大陆通行证|港澳居民来往内地通行证|通行证|台胞证|"
    r"回乡证|外国人永久居留身份证|永久居留身份证|永久居留证|证件)(?:号码|编号|号|[\s:()为是即的,]){0,8}"
    r"([A-Za-z]{0,3}(?:[ -]?\d){7,16}[Xx]?)(?![0-9A-Za-z])")
_DOCUMENT_SHAPES: dict[str, tuple[str, re.Pattern[str]]] = {
    "护照": (PASSPORT, re.compile(r"[A-Z]{1,2}\d{7,8}|[A-Z]\d{6,9}")),
    "港澳": (PERMIT, re.compile(r"[CWK][A-Z]?\d{7,8}")),
    "台湾": (PERMIT, re.compile(r"[LT]\d{8}|\d{8}(\d{2})?|[A-Z]\d{8,10}")),
    "回乡": (PERMIT, re.compile(r"[HM]\d{8}(\d{2})?")),
    "台胞": (PERMIT, re.compile(r"\d{8}(\d{2})?|[A-Z]\d{8,10}")),
    "通行": (PERMIT, re.compile(r"[CWKHMLT][A-Z]?\d{7,10}|\d{8}(\d{2})?")),
    "永久": (PERMANENT, re.compile(r"[A-Z]{3}\d{12}|9\d{16}[\dX]")),
    "证件": (PASSPORT, re.compile(r"[A-Z]{1,2}\d{7,8}|[CWKHMLT][A-Z]?\d{7,10}|[A-Z]{3}\d{12}")),
}
_LABEL_WORDS = ("护照", "通行证", "台胞证", "回乡证", "永久居留", "证件")
# The label words in the decoded text, invisible characters allowed between their characters.
_LABEL_HINT = re.compile("|".join(f"{invisible_class()}*".join(map(re.escape, w)) for w in _LABEL_WORDS))


def _labelled(text: str) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[int] = set()
    for hint in _LABEL_HINT.finditer(text):
        a, b = max(0, hint.start() - 16), min(len(text), hint.end() + 48)
        folded = fold(text[a:b])
        keep = [i for i, c in enumerate(folded) if c != INVISIBLE]
        window = "".join(folded[i] for i in keep)
        for m in _LABEL.finditer(window):
            number = re.sub(r"[ -]", "", m[2]).upper()
            family = next((k for k in _DOCUMENT_SHAPES if k in m[1]), "证件")
            kind, shape = _DOCUMENT_SHAPES[family]
            if kind == PERMANENT and number.startswith("9") and len(number) == 18 \
                    and id_check_digit(number[:17]) != number[17]:
                continue
            start = a + keep[m.start(2)]
            if shape.fullmatch(number) and start not in seen:
                seen.add(start)
                hits.append(Hit(kind, number, start, a + keep[m.end(2) - 1] + 1))
    return hits


# Around every stretch of at least 11 digit-like characters joined by separators or
# invisible characters, the detectors look at the text before it (card and credit-code
# labels, +86) and just after it (an X): a window of the stretch and this margin.
_MARGIN = 32
_STRETCH = re.compile(f"(?<![0-9]){digit_class()}(?:{joiner_class()}*+{digit_class()}){{10,}}+")


def _windows(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _STRETCH.finditer(text):
        start, end = max(0, m.start() - _MARGIN), min(len(text), m.end() + _MARGIN)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def find_decoded(text: str, allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """Every personal identifier in an already decoded text, with offsets in it."""
    hits: list[Hit] = []
    for a, b in _windows(text):
        window = fold(text[a:b])
        hits += [Hit(kind, value, a + s, a + e) for kind, value, s, e in _choose(_candidates(window, allowed))]
    if _LABEL_HINT.search(text):
        hits += [h for h in _labelled(text) if not any(o.start < h.end and h.start < o.end for o in hits)]
    return sorted(hits, key=lambda h: h.start)


def find_in_whole(text: str, allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """find(), with the detectors run over the whole folded text (the reference the windows of
    find_decoded must equal: tested)."""
    decoded = decode(text)
    hits = [Hit(kind, value, s, e) for kind, value, s, e in _choose(_candidates(fold(decoded), allowed))]
    hits += [h for h in _labelled(decoded) if not any(o.start < h.end and h.start < o.end for o in hits)]
    return sorted(hits, key=lambda h: h.start)


def find(text: str, allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """Every personal identifier in `text` (official phone numbers excepted); offsets are in
    decode(text)."""
    return find_decoded(decode(text), allowed)


def find_lossy(text: str) -> list[Hit]:
    """Identifiers among numbers a spreadsheet stored as floating point, one a line: their last
    digits are lost (Excel keeps 15 significant digits), so no check digit can be verified;
    an 18-digit number with a valid province code and birth date is an ID number, a 16–19
    digit one beginning as a card number is a card."""
    hits: list[Hit] = []
    offset = 0
    for line in text.split("\n"):
        digits = line.strip()
        if digits.isdigit():
            n = len(digits)
            born = _date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])) if n == 18 else None
            if n == 18 and int(digits[:2]) in PROVINCES and born is not None and born.year >= 1900:
                hits.append(Hit(ID, digits, offset, offset + len(line)))
            elif 16 <= n <= 19 and _CARD_PREFIX.match(digits):
                hits.append(Hit(CARD, digits, offset, offset + len(line)))
        offset += len(line) + 1
    return hits


def normalise_phones(phones: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Official numbers as bare digits (any separators and the 0086/+86 prefix removed)."""
    out = set()
    for p in phones:
        d = re.sub(r"\D", "", fold(p))
        for prefix in ("0086", "86"):
            if d.startswith(prefix) and len(d) - len(prefix) == 11:
                d = d[len(prefix):]
        out.add(d)
    return frozenset(out)
