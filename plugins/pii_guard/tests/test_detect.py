"""The detectors find every identifier in every disguise, and no official number."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foundation.privacy.detect import CARD, ID, MOBILE, find, find_in_whole, find_lossy, normalise_phones
from foundation.privacy.normalise import compact, decode, fold

from .identifiers import disguised, luhn_complete, official

ID_NO = "11010519491231002X"
MOBILE_NO = "13912345678"
CARD_NO = "6222021234567890128"


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disguised())
def test_every_identifier_is_found_in_every_disguise(case: tuple[str, str, str]) -> None:
    kind, value, text = case
    found = [(h.kind, h.value) for h in find(text)]
    assert (kind, value) in found, (text, found)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(official())
def test_official_numbers_are_never_flagged(text: str) -> None:
    assert find(text, normalise_phones(["022-25601234"])) == [], text


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["中", "，", "。", " ", "\n", "\t", "-", ".", "/", "X", "&#49;", "１", "\u200b",
                                 ID_NO, MOBILE_NO, CARD_NO, "银行卡号", "护照号码：E12345678", "2024-01-15", "12.50",
                                 "a1b2", "+86", "统一社会信用代码"]) | st.text("0123456789 -.X", max_size=25),
                max_size=40))
def test_windows_find_what_the_whole_text_has(parts: list[str]) -> None:
    text = "".join(parts)
    assert find(text) == find_in_whole(text)


def test_the_cases_of_the_report() -> None:
    """Each form the issue's attacker used (issue 15), and the negatives beside them."""
    fw = "".join(chr(ord(c) + 0xFEE0) for c in "13800138000")
    cases = {
        f"全角 {fw}": MOBILE,
        "".join(f"&#x{ord(c):X};" for c in fw): MOBILE,
        "1\u200b3\u200b8\u200b0013\u200b8000": MOBILE,
        "电话 1390 0139 000": MOBILE,
        "120104 19850101 0034": ID,
        "110105-19900307-1239": ID,
        "ID120104198501010034": ID,
        "卡号 6222 0212 3456 7890 128": CARD,
        "护照号码：E12345678": "护照号码",
        "往来港澳通行证号码 C12345678": "通行证号码",
        "台胞证 12345678": "通行证号码",
    }
    for text, kind in cases.items():
        assert [h.kind for h in find(text)] == [kind], text


def test_a_hit_is_located_and_masked_in_the_decoded_text() -> None:
    text = "第一行\n联系人：&#49;3912345678。"
    [hit] = find(text)
    decoded = decode(text)
    assert decoded[hit.start:hit.end] == MOBILE_NO and decoded.count("\n", 0, hit.start) == 1
    assert hit.masked == "139******78" and MOBILE_NO not in hit.masked


def test_neighbouring_numbers_are_not_glued() -> None:
    assert find("2024-1-31 2024-12-15") == []           # two dates, not a mobile 13120241215
    assert find("1234.56 789.00 1380.12 3800.00") == []  # amounts
    assert find("000014349/2020-00072 620000123/2020-00072") == []  # 索引号
    assert find("订单号 3fa913800138000ab1") == []         # a digest
    assert find('<text x="234.67741935483872" y="268">') == []  # a coordinate, Luhn-valid by chance
    assert find("2024 13800138000")[0].value == "13800138000"   # an identifier after a year is still one


def test_luhn_cards_need_a_label_or_a_card_prefix() -> None:
    assert find("订单编号 6222021234567890128") == []
    assert find("4111111111111111 号") != []        # a Visa number on its own
    other = luhn_complete("941111111111111")
    assert find(f"{other} 号") == []                 # Luhn-valid, but no card begins so …
    assert [h.kind for h in find(f"账号 {other}")] == [CARD]   # … unless it is labelled one


def test_numbers_stored_as_floating_point_in_a_sheet() -> None:
    assert [h.kind for h in find_lossy("110105199003071200\n5\n6222021234567890000")] == [ID, CARD]
    assert find_lossy("123456789012345678") == []   # 12 is a province code, but 7890-12-34 is no birth date


def test_official_phone_numbers_pass_in_any_form() -> None:
    allowed = normalise_phones(["+86 139-1234-5678"])
    assert find("热线 139 1234 5678", allowed) == [] and find("热线 13912345678") != []


def test_fold_and_compact() -> None:
    assert fold("１３８\u3000Ｘ－／") == "138 X-/"
    assert compact("张\u3000三 &#x4E30;") == "张三丰"


CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "laws"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus sits beside the checkout on the project's machines")
def test_no_law_of_the_corpus_holds_an_identifier() -> None:
    """1,527 real laws (SECURITY.md): any hit is a false positive."""
    files = sorted(CORPUS.rglob("*.md"))
    assert len(files) > 1000
    hits = [(f.name, h.kind) for f in files for h in find(f.read_text(encoding="utf-8"))]
    assert hits == []


def test_table_cells_apart_at_two_spaces_are_not_one_number() -> None:
    # Found by test_official_numbers_are_never_flagged: a row of whole-number cells
    # (「130  10  100  100」) was read as the mobile 13010100100.
    assert find("200 项目 130  10  100  100") == []
    assert [h.kind for h in find("手机 130 1010 0100")] == ["手机号"]   # one space still joins


def test_an_unlabelled_credit_code_is_not_a_card_but_a_labelled_card_is() -> None:
    # 521100010508560201 is a valid 统一社会信用代码 that also passes Luhn with a card prefix.
    assert find("521100010508560201") == []
    assert [h.kind for h in find("银行卡号 521100010508560201")] == ["银行卡号"]
    # A UnionPay number (62…) stays a card even when it also passes the code's check.
    assert [h.kind for h in find("622213012503801101")] == ["银行卡号"]
